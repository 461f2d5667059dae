import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { SystemClock } from '@ttfd/clock';
import { Redis } from 'ioredis';
import { MessageXpGate } from '@ttfd/discord';
import { economyTestingModule, LedgerService } from '@ttfd/economy';
import { IdentityService, LinkingModule } from '@ttfd/linking';
import { OutboxDispatcher } from '@ttfd/sync';
import { seedAccounts } from '../lib/accounts';
import { benchPool, createBenchDatabase } from '../lib/bench-database';
import { every, progress } from '../lib/progress';
import { runConcurrent } from '../lib/pace';
import { peakRssMb, QUICK, Section } from '../lib/section';
import { ratio, round } from '../lib/stats';
import { floorTransaction } from '../lib/floor-transaction';
import { OwnRedis } from '../lib/redis-server';
import { countRoundTrips } from '../lib/round-trips';

const CONCURRENCY = 16;
const TOTAL = QUICK ? 2_000 : 100_000;
const ACCOUNTS = QUICK ? 1_000 : 10_000;
// Floor and awards alternate in rounds on the same database, so a noisy neighbour hurts both.
const ROUNDS = QUICK ? 2 : 4;
/** Sequential operations whose round trips are counted, after the timed rounds. */
const COUNTED = 100;

/** Counts what would be enqueued: this figure is the transaction; section 3 adds the queue. */
class CountingDispatcher extends OutboxDispatcher {
  dispatched = 0;
  dispatch(eventIds: string[]): void {
    this.dispatched += eventIds.length;
  }
}

export const section: Section = {
  name: 'floor-awards',
  deadlineMs: QUICK ? 120_000 : 1_200_000,
  run: async () => {
    const database = await createBenchDatabase('awards');
    const pool = benchPool(database.url, CONCURRENCY);
    const redisServer = await OwnRedis.start();
    const redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1 });
    const dispatcher = new CountingDispatcher();
    const app = await NestFactory.createApplicationContext(
      economyTestingModule({
        databaseUrl: database.url,
        clock: new SystemClock(),
        poolSize: CONCURRENCY,
        dispatcher,
        env: { LOG_LEVEL: 'silent' },
        imports: [LinkingModule],
      }),
      { logger: false },
    );
    try {
      const ledger = app.get(LedgerService);
      const identities = app.get(IdentityService);
      const gate = new MessageXpGate(redis);
      const accounts = await seedAccounts(pool, ACCOUNTS);
      // Every account is a known Discord member: the path measured is a regular's message.
      await pool.query(
        `INSERT INTO identities (account_id, platform, external_id, username, created_at, updated_at)
         SELECT id, 'discord', id::text, 'member-' || id, now(), now()
           FROM unnest($1::bigint[]) AS id`,
        [accounts],
      );

      /** A Discord message as MessageXpListener pays it: gate, identity, award. */
      const message = async (n: number, prefix: string): Promise<void> => {
        const accountId = accounts[n % ACCOUNTS];
        const userId = accountId;
        const messageId = `${prefix}${n}`;
        const verdict = await gate.check(userId, `message ${n}`, Date.now(), 0, messageId);
        if (verdict !== 'pass') throw new Error(`message ${n} was not passed: ${verdict}`);
        const resolved = await identities.resolve('discord', userId, {
          username: `member-${userId}`,
        });
        await ledger.award({
          accountId: resolved.accountId,
          xp: 5,
          reason: 'discord_message',
          source: 'discord',
          idempotencyKey: `discord:msg:${messageId}`,
          entityId: messageId,
        });
      };
      const plainAward = (n: number, prefix: string) =>
        ledger.award({
          accountId: accounts[n % ACCOUNTS],
          xp: 5,
          reason: 'daily_spin',
          source: 'telegram',
          idempotencyKey: `${prefix}${n}`,
        });

      const perRound = Math.floor(TOTAL / ROUNDS);
      let floorMs = 0;
      let awardsMs = 0;
      let messagesMs = 0;
      let floorDone = 0;
      let awardsDone = 0;
      let messagesDone = 0;
      const stop = every(2_000, () =>
        progress(
          `floor-awards: floor ${floorDone}/${TOTAL}, awards ${awardsDone}/${TOTAL}, ` +
            `messages ${messagesDone}/${TOTAL}`,
        ),
      );
      try {
        for (let round = 0; round < ROUNDS; round++) {
          let started = performance.now();
          await runConcurrent(perRound, CONCURRENCY, async (i) => {
            const n = round * perRound + i;
            await floorTransaction(pool, accounts[n % ACCOUNTS], 5, `floor:${n}`);
            floorDone += 1;
          });
          floorMs += performance.now() - started;

          started = performance.now();
          await runConcurrent(perRound, CONCURRENCY, async (i) => {
            await plainAward(round * perRound + i, 'bench:');
            awardsDone += 1;
          });
          awardsMs += performance.now() - started;

          started = performance.now();
          await runConcurrent(perRound, CONCURRENCY, async (i) => {
            await message(round * perRound + i, 'bench-msg-');
            messagesDone += 1;
          });
          messagesMs += performance.now() - started;
        }
      } finally {
        stop();
      }
      const floorTps = (floorDone / floorMs) * 1000;
      const awardsPerSecond = (awardsDone / awardsMs) * 1000;
      const messagesPerSecond = (messagesDone / messagesMs) * 1000;
      const ledgerRows = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ledger_entries WHERE idempotency_key LIKE 'bench:%'`,
      );
      if (ledgerRows.rows[0].n !== awardsDone) {
        throw new Error(`expected ${awardsDone} award rows, found ${ledgerRows.rows[0].n}`);
      }

      // Round trips of one operation: sequential, nothing else running.
      const perOperation = async (work: (n: number) => Promise<unknown>) => {
        const counted = await countRoundTrips(async () => {
          for (let n = 0; n < COUNTED; n++) await work(n);
        });
        return round((counted.sql + counted.redis) / COUNTED, 2);
      };
      const floorRoundTrips = await perOperation((n) =>
        floorTransaction(pool, accounts[n % ACCOUNTS], 5, `floor-counted:${n}`),
      );
      const awardRoundTrips = await perOperation((n) => plainAward(n, 'counted:'));
      const messageRoundTrips = await perOperation((n) => message(n, 'counted-msg-'));
      return {
        concurrency: CONCURRENCY,
        accounts: ACCOUNTS,
        transactions: floorDone,
        awards: awardsDone,
        messages: messagesDone,
        floorTps: round(floorTps, 0),
        awardsPerSecond: round(awardsPerSecond, 0),
        messagesPerSecond: round(messagesPerSecond, 0),
        awardsToFloor: ratio(awardsPerSecond, floorTps),
        messagesToFloor: ratio(messagesPerSecond, floorTps),
        floorRoundTrips,
        awardRoundTrips,
        messageRoundTrips,
        eventsDispatched: dispatcher.dispatched,
        peakRssMb: peakRssMb(),
      };
    } finally {
      await app.close();
      await pool.end();
      redis.disconnect();
      await redisServer.stop();
      await database.drop();
    }
  },
};
