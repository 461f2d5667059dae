import { performance } from 'node:perf_hooks';
import 'reflect-metadata';
import { startBenchApp } from '../lib/bench-app';
import { benchPool, createBenchDatabase } from '../lib/bench-database';
import { progress } from '../lib/progress';
import { OwnRedis } from '../lib/redis-server';
import { peakRssMb, QUICK, Section } from '../lib/section';
import { round } from '../lib/stats';
import {
  ImportService,
  mee6Pages,
  mee6Player,
  planFromFile,
  snowflake,
  TEST_GUILD_ID,
} from '@ttfd/imports';

const PLAYERS = QUICK ? 10_000 : 100_000;

/**
 * Imports (issue 22): 100,000 MEE6 players (100 pages of 1,000, as the public leaderboard hands
 * them out) from JSON text to committed rows: parse and validate, then the bulk write. Then the
 * audit the reconcile runs (totals = ledger sums, rank = f(XP)) must find nothing, and a second
 * run must change nothing (its time is the idempotent path's).
 */
export const section: Section = {
  name: 'imports',
  deadlineMs: QUICK ? 90_000 : 300_000,
  run: async () => {
    const database = await createBenchDatabase('imports');
    const redis = await OwnRedis.start();
    const pool = benchPool(database.url, 2);
    let bench: Awaited<ReturnType<typeof startBenchApp>> | undefined;
    try {
      const players = Array.from({ length: PLAYERS }, (_, i) =>
        mee6Player(snowflake(i), (i * 7919) % 900_000),
      );
      const text = JSON.stringify(mee6Pages(players, 1_000));
      bench = await startBenchApp({
        databaseUrl: database.url,
        redisUrl: redis.url,
        roles: 'api',
        env: { DISCORD_GUILD_ID: TEST_GUILD_ID },
      });
      const imports = bench.app.get(ImportService);

      progress(`imports: ${PLAYERS} MEE6 players, ${Math.round(text.length / 1e6)} MB of JSON`);
      const started = performance.now();
      const plan = planFromFile('mee6', text, { guildId: TEST_GUILD_ID });
      const parsed = performance.now();
      const { report } = await imports.execute(plan, { dryRun: false, origin: 'cli' });
      const written = performance.now();
      if (report.created !== PLAYERS) {
        throw new Error(`expected ${PLAYERS} new profiles, the report says ${report.created}`);
      }

      progress('imports: audit (totals = ledger sums, rank = f(XP))');
      const {
        rows: [audit],
      } = await pool.query<{ totals: string; ranks: string }>(
        `SELECT (SELECT count(*) FROM accounts a
                  WHERE a.xp <> coalesce((SELECT sum(xp_delta) FROM ledger_entries l WHERE l.account_id = a.id), 0)
                     OR a.coins <> coalesce((SELECT sum(coins_delta) FROM ledger_entries l WHERE l.account_id = a.id), 0)) AS totals,
                (SELECT count(*) FROM accounts a
                  WHERE a.rank_id <> rank_for_xp(a.xp::bigint)) AS ranks`,
      );
      if (Number(audit.totals) !== 0 || Number(audit.ranks) !== 0) {
        throw new Error(`audit found ${audit.totals} totals and ${audit.ranks} ranks adrift`);
      }

      progress('imports: the same file again (idempotent)');
      const againStarted = performance.now();
      const again = await imports.execute(planFromFile('mee6', text, { guildId: TEST_GUILD_ID }), {
        dryRun: false,
        origin: 'cli',
      });
      const againSeconds = (performance.now() - againStarted) / 1000;
      if (!again.report.unchanged) throw new Error('the second run changed something');

      const seconds = (written - started) / 1000;
      return {
        players: PLAYERS,
        parseSeconds: round((parsed - started) / 1000, 2),
        writeSeconds: round((written - parsed) / 1000, 2),
        seconds: round(seconds, 1),
        playersPerSecond: Math.round(PLAYERS / seconds),
        secondRunSeconds: round(againSeconds, 1),
        auditDrift: Number(audit.totals) + Number(audit.ranks),
        peakRssMb: peakRssMb(),
      };
    } finally {
      await bench?.close();
      await pool.end();
      await redis.stop();
      await database.drop();
    }
  },
};
