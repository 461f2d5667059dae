import 'reflect-metadata';
import { startBenchApp } from '../lib/bench-app';
import { loadTest, LoadResult } from '../lib/autocannon';
import { benchPool, createBenchDatabase } from '../lib/bench-database';
import { progress } from '../lib/progress';
import { OwnRedis } from '../lib/redis-server';
import { peakRssMb, QUICK, Section } from '../lib/section';
import { ratio } from '../lib/stats';

const ACCOUNTS = QUICK ? 2_000 : 10_000;
const CONNECTIONS = 16;
const SECONDS = QUICK ? 2 : 10;

const LEADERBOARD = JSON.stringify({
  query: '{ leaderboard(first: 10) { entries { place accountId xp } hasNextPage endCursor } }',
});

function profileQuery(accountId: string): string {
  return JSON.stringify({
    query: `{ profile(accountId: "${accountId}") { accountId xp rank { id nameEn } nextRank { id } progress { percent } } }`,
  });
}

/** Figure 5: read queries over HTTP beside the cheapest route of the same server. */
export const section: Section = {
  name: 'api',
  deadlineMs: QUICK ? 60_000 : 180_000,
  run: async () => {
    const database = await createBenchDatabase('api');
    const redis = await OwnRedis.start();
    const pool = benchPool(database.url, 2);
    let bench: Awaited<ReturnType<typeof startBenchApp>> | undefined;
    try {
      await pool.query(
        `INSERT INTO accounts (xp, coins, rank_id)
         SELECT x.xp, 0, rank_for_xp(x.xp::bigint)
           FROM (SELECT (g * 7919) % 250000 AS xp FROM generate_series(1, $1) AS g) x`,
        [ACCOUNTS],
      );
      await pool.query('ANALYZE');
      const someId = (await pool.query<{ id: string }>(`SELECT min(id) + 42 AS id FROM accounts`))
        .rows[0].id;
      bench = await startBenchApp({ databaseUrl: database.url, redisUrl: redis.url, roles: 'api' });
      const graphql = `${bench.url}/graphql`;
      // Both queries must answer data, not errors, before they are worth measuring.
      for (const body of [LEADERBOARD, profileQuery(String(someId))]) {
        const response = await fetch(graphql, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        const json = (await response.json()) as { errors?: unknown };
        if (!response.ok || json.errors) {
          throw new Error(`query failed: ${response.status} ${JSON.stringify(json)}`);
        }
      }
      const run = async (label: string, options: Parameters<typeof loadTest>[0]) => {
        progress(`api: ${label}, ${CONNECTIONS} connections, ${SECONDS} s`);
        const result = await loadTest(options);
        if (result.errors > 0 || result.non2xx > 0) {
          throw new Error(`${label}: ${result.errors} errors, ${result.non2xx} non-2xx`);
        }
        return result;
      };
      const common = { connections: CONNECTIONS, seconds: SECONDS };
      const baseline: LoadResult = await run('baseline /health/live', {
        ...common,
        url: `${bench.url}/health/live`,
      });
      const leaderboard = await run('leaderboard', {
        ...common,
        url: graphql,
        method: 'POST',
        body: LEADERBOARD,
      });
      const profile = await run('profile', {
        ...common,
        url: graphql,
        method: 'POST',
        body: profileQuery(String(someId)),
      });
      return {
        accounts: ACCOUNTS,
        connections: CONNECTIONS,
        seconds: SECONDS,
        baselineRps: baseline.requestsPerSecond,
        baselineP99: baseline.p99,
        leaderboardRps: leaderboard.requestsPerSecond,
        leaderboardP99: leaderboard.p99,
        leaderboardToBaseline: ratio(leaderboard.requestsPerSecond, baseline.requestsPerSecond),
        profileRps: profile.requestsPerSecond,
        profileP99: profile.p99,
        profileToBaseline: ratio(profile.requestsPerSecond, baseline.requestsPerSecond),
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
