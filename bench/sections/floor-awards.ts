import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { SystemClock } from '@ttfd/clock';
import { economyTestingModule, LedgerService } from '@ttfd/economy';
import { OutboxDispatcher } from '@ttfd/sync';
import { seedAccounts } from '../lib/accounts';
import { benchPool, createBenchDatabase } from '../lib/bench-database';
import { every, progress } from '../lib/progress';
import { runConcurrent } from '../lib/pace';
import { peakRssMb, QUICK, Section } from '../lib/section';
import { ratio, round } from '../lib/stats';
import { floorTransaction } from '../lib/floor-transaction';

const CONCURRENCY = 16;
const TOTAL = QUICK ? 2_000 : 100_000;
const ACCOUNTS = QUICK ? 1_000 : 10_000;
// Floor and awards alternate in rounds on the same database, so a noisy neighbour hurts both.
const ROUNDS = QUICK ? 2 : 4;

/** Counts what would be enqueued: this figure is the transaction; section 3 adds the queue. */
class CountingDispatcher extends OutboxDispatcher {
  dispatched = 0;
  dispatch(eventIds: string[]): void {
    this.dispatched += eventIds.length;
  }
}

export const section: Section = {
  name: 'floor-awards',
  deadlineMs: QUICK ? 60_000 : 300_000,
  run: async () => {
    const database = await createBenchDatabase('awards');
    const pool = benchPool(database.url, CONCURRENCY);
    const dispatcher = new CountingDispatcher();
    const app = await NestFactory.createApplicationContext(
      economyTestingModule({
        databaseUrl: database.url,
        clock: new SystemClock(),
        poolSize: CONCURRENCY,
        dispatcher,
        env: { LOG_LEVEL: 'silent' },
      }),
      { logger: false },
    );
    try {
      const ledger = app.get(LedgerService);
      const accounts = await seedAccounts(pool, ACCOUNTS);
      const perRound = Math.floor(TOTAL / ROUNDS);
      let floorMs = 0;
      let awardsMs = 0;
      let floorDone = 0;
      let awardsDone = 0;
      const stop = every(2_000, () =>
        progress(`floor-awards: floor ${floorDone}/${TOTAL}, awards ${awardsDone}/${TOTAL}`),
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
            const n = round * perRound + i;
            await ledger.award({
              accountId: accounts[n % ACCOUNTS],
              xp: 5,
              reason: 'daily_spin',
              source: 'telegram',
              idempotencyKey: `bench:${n}`,
            });
            awardsDone += 1;
          });
          awardsMs += performance.now() - started;
        }
      } finally {
        stop();
      }
      const floorTps = (floorDone / floorMs) * 1000;
      const awardsPerSecond = (awardsDone / awardsMs) * 1000;
      const ledgerRows = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ledger_entries WHERE idempotency_key LIKE 'bench:%'`,
      );
      if (ledgerRows.rows[0].n !== awardsDone) {
        throw new Error(`expected ${awardsDone} award rows, found ${ledgerRows.rows[0].n}`);
      }
      return {
        concurrency: CONCURRENCY,
        accounts: ACCOUNTS,
        transactions: floorDone,
        awards: awardsDone,
        floorTps: round(floorTps, 0),
        awardsPerSecond: round(awardsPerSecond, 0),
        awardsToFloor: ratio(awardsPerSecond, floorTps),
        eventsDispatched: dispatcher.dispatched,
        peakRssMb: peakRssMb(),
      };
    } finally {
      await app.close();
      await pool.end();
      await database.drop();
    }
  },
};
