import type { Pool } from 'pg';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { seedAccounts } from '../lib/accounts';
import { BENCH_ADMIN_TOKEN, BENCH_SESSION_SECRET } from '../lib/constants';
import { benchPool, createBenchDatabase, terminateConnections } from '../lib/bench-database';
import { linkDiscord, mapRoles, wantedRolesByUser } from '../lib/guild';
import { OwnRedis } from '../lib/redis-server';
import { AppProcess } from './cluster';
import { DrillGuild, mappedRoleIds } from './drill-guild';
import { Driver } from './driver';
import { diagnose } from './diagnose';
import { checkInvariants, InvariantReport } from './invariants';

/**
 * `npm run test:faults`: fault drills on real Postgres (a database of the run's own), a Redis
 * server of its own on a free port and the built application (`dist/`, built first by the
 * script's pretest:faults hook when older than the sources) in several processes (APP_ROLES).
 * Their Discord is one fake Discord (test/fakes/discord) on loopback, reached by the real
 * adapter over discord.js REST. After each drill the invariants are checked; any lost or
 * duplicated effect makes the run exit non-zero.
 */
const ACCOUNTS = 60;
const SETTLE_MS = 60_000;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `done` every 20 ms until it holds (true) or `timeoutMs` passes (false). */
async function waitUntil(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() >= deadline) return false;
    await sleep(20);
  }
  return true;
}

interface Drill {
  name: string;
  run(): Promise<string>;
}

async function main(): Promise<number> {
  const hardStop = setTimeout(() => {
    process.stderr.write('test:faults exceeded 9 minutes: giving up\n');
    process.exit(3);
  }, 9 * 60_000);
  hardStop.unref();

  const database = await createBenchDatabase('faults');
  const redis = await OwnRedis.start();
  let guild: DrillGuild | undefined;
  const pool = benchPool(database.url, 4);
  const processes: AppProcess[] = [];
  let failed = 0;
  try {
    const accounts = await seedAccounts(pool, ACCOUNTS);
    await mapRoles(pool);
    await linkDiscord(pool, accounts);
    // Every linked member in the guild, holding what they should hold now.
    guild = await DrillGuild.start(await wantedRolesByUser(pool), await mappedRoleIds(pool));
    const discord = guild;

    const env: Record<string, string> = {
      NODE_ENV: 'production',
      LOG_LEVEL: process.env.FAULTS_LOG_LEVEL ?? 'error',
      DATABASE_URL: database.url,
      DATABASE_POOL_SIZE: '8',
      MIGRATIONS_RUN: 'false',
      REDIS_URL: redis.url,
      QUEUE_PREFIX: 'drill',
      ADMIN_TOKEN: BENCH_ADMIN_TOKEN,
      SESSION_SECRET: BENCH_SESSION_SECRET,
      // The real Discord adapter, at the fake: a worker without the discord role registers the
      // REST RoleGateway and Notifier (DiscordModule.restPorts); no gateway session.
      ...guild.env,
      // Short leases and backoffs so recovery fits in a drill, not in minutes. A batch holds its
      // rows and members while discord.js waits out rate limits (over 10 s in the 429 drill),
      // longer than this lease: the holder renews both, so no second convergence of a member
      // starts meanwhile (a needless role call would fail the drill); a killed worker's rows and
      // members are taken over within 3 s.
      SYNC_LEASE_MS: '3000',
      SYNC_BACKOFF_BASE_MS: '200',
      SYNC_BACKOFF_MAX_MS: '2000',
      SYNC_MAX_ATTEMPTS: '100',
      SYNC_RELAY_INTERVAL_MS: '500',
      // Reconcile every minute: two schedulers must run each slot once, and it must find nothing.
      RECONCILE_CRON: '* * * * *',
    };
    const api = new AppProcess('api+scheduler', { ...env, APP_ROLES: 'api,scheduler' });
    const worker = new AppProcess('worker', { ...env, APP_ROLES: 'worker' });
    processes.push(api, worker);
    say(
      `starting ${processes.map((p) => p.label).join(', ')} from dist/ (db ${database.name}, ` +
        `redis :${redis.port}, fake Discord ${guild.fake.apiBase})`,
    );
    await Promise.all([api.start(), worker.start()]);
    const driver = new Driver(() => api.url, accounts, 'drill');
    const startedAt = Date.now();

    const drills: Drill[] = [
      {
        name: 'worker SIGKILL mid-stream, restarted',
        run: async () => {
          // One DM is created by Discord but its answer never comes: the worker is killed while
          // it waits, between sending and settling, so its successor sends that DM again (the
          // same nonce: Discord must return the first message, never create a second).
          const mark = discord.mark();
          discord.fake.failNext(
            'POST /channels/:channelId/messages',
            { status: 500, afterApplying: true, noAnswer: true },
            1,
          );
          const firing = driver.fire(150, 40);
          const sentUnanswered = await waitUntil(() => discord.answers(0, true, mark) > 0, 10_000);
          await worker.kill();
          await sleep(1_000);
          await worker.start();
          await firing;
          return sentUnanswered
            ? 'killed the worker with SIGKILL while a DM Discord had created waited for its answer, restarted it (150 adjustments)'
            : 'killed the worker with SIGKILL 10 s into 150 adjustments (no DM was sent by then), restarted it';
        },
      },
      {
        name: 'Redis flushed mid-stream',
        run: async () => {
          const firing = driver.fire(120, 40);
          await sleep(1_500);
          await redis.flushAll();
          await firing;
          return 'FLUSHALL 1.5 s into 120 adjustments (queued jobs and locks gone)';
        },
      },
      {
        name: 'Redis stopped for 10 s, started again',
        run: async () => {
          const firing = driver.fire(300, 25);
          await sleep(1_000);
          await redis.stop();
          await sleep(10_000);
          await redis.startProcess();
          await firing;
          return 'redis-server stopped 1 s into 300 adjustments, started 10 s later';
        },
      },
      {
        name: "drill database's connections terminated mid-stream",
        run: async () => {
          const firing = driver.fire(150, 40);
          let cut = 0;
          for (let i = 0; i < 3; i++) {
            await sleep(800);
            cut += await terminateConnections(database.name);
          }
          await firing;
          return `pg_terminate_backend on ${cut} connections of ${database.name} (3 rounds)`;
        },
      },
      {
        name: 'Discord answering 429 (retry-after) and 500 for a while',
        run: async () => {
          // Member reads and role changes only; discord.js waits out each 429 and retries a 500
          // up to 3 times before the sync gets the error and retries the event with backoff.
          const mark = discord.mark();
          discord.failMemberCalls({ status: 429, retryAfterSeconds: 0.3 }, 40);
          discord.failMemberCalls({ status: 500 }, 40);
          await driver.fire(150, 40);
          // A 429 holds up the whole route's queue in discord.js, so the sync meets the rest of
          // the failures after the firing ends: let it meet all of them, then heal.
          await waitFor(async () => discord.fake.pendingFailures() === 0, 60_000);
          discord.fake.clearFailures();
          const answered = (status: number): number => discord.answers(status, true, mark);
          return `${answered(429)} answers 429 (retry-after 0.3 s) and ${answered(500)} answers 500 given, during 150 adjustments`;
        },
      },
      {
        name: 'one award fired 50 times at once from several processes',
        run: async () => {
          const key = 'drill-fifty';
          driver.fired.set(key, 777);
          await Promise.all(
            [17, 17, 16].map((count) => fireFrom(api.url, accounts[0], key, 777, count)),
          );
          return 'same Idempotency-Key, 50 concurrent requests from 3 processes';
        },
      },
      {
        name: 'two workers and two schedulers at once',
        run: async () => {
          const second = new AppProcess('worker+scheduler', {
            ...env,
            APP_ROLES: 'worker,scheduler',
          });
          processes.push(second);
          await second.start();
          await driver.fire(200, 40);
          // Let at least one reconcile slot pass with both schedulers up.
          const slotStart = Math.floor(Date.now() / 60_000) * 60_000;
          await waitFor(async () => (await scheduledSince(pool, slotStart + 60_000)) > 0, 75_000);
          const slots = await scheduledReports(pool);
          const minutes = Math.ceil((Date.now() - startedAt) / 60_000) + 1;
          if (slots.duplicates > 0 || slots.total > minutes) {
            throw new Error(`reconcile ran ${slots.total} times in ${minutes} minutes`);
          }
          return `a second worker+scheduler process, 200 adjustments, ${slots.total} scheduled reconcile run(s), one per slot`;
        },
      },
    ];

    // FAULTS_ONLY=<text>: only the drills whose name contains it (to repeat one drill).
    const only = process.env.FAULTS_ONLY?.toLowerCase();
    for (const drill of drills.filter((d) => !only || d.name.toLowerCase().includes(only))) {
      say(`drill: ${drill.name}`);
      const started = Date.now();
      let did: string;
      try {
        did = await drill.run();
      } catch (error) {
        failed += 1;
        say(`  FAILED while running: ${(error as Error).message}`);
        continue;
      }
      const report = await checkInvariants(pool, driver.fired, discord, SETTLE_MS);
      say(`  did: ${did} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      say(`  ${figures(report)}`);
      if (report.problems.length > 0) {
        failed += 1;
        say(`  FAILED: ${report.problems.join('; ')}`);
        const leftovers = await diagnose({
          pool,
          database: database.name,
          redisUrl: redis.url,
          prefix: env.QUEUE_PREFIX,
          guild: discord,
          since: started,
          processes,
        });
        for (const line of leftovers) say(`  ${line}`);
      } else {
        say('  ok: invariants hold');
      }
    }
    say(
      `fake Discord: ${discord.mark()} REST calls, ${discord.answers(429, false)} answered 429 by ` +
        `its own rate limits (waited out)`,
    );
  } finally {
    await Promise.all(processes.map((p) => p.stop()));
    await pool.end();
    await guild?.stop();
    await redis.stop();
    await database.drop();
  }
  say(failed === 0 ? 'all drills passed' : `${failed} drill(s) failed`);
  return failed === 0 ? 0 : 1;
}

function figures(r: InvariantReport): string {
  return (
    `events ${r.events} (open ${r.open}, failed ${r.failed}); adjustments fired ${r.fired}, ` +
    `ledger rows ${r.ledgerRows}, lost ${r.lost}, duplicates ${r.duplicates}; XP fired ${r.firedXp} ` +
    `vs ledger ${r.ledgerXp}; drifted accounts ${r.driftedAccounts}; members wrong ${r.membersWrong}; ` +
    `role calls ${r.roleChanges}, needless ${r.needlessRoleCalls}; reconcile fixes ${r.reconcileFixes}; ` +
    `DMs ${r.dms}, repeated ${r.repeatedDms}; DM resend attempts ${r.dmResendAttempts}, ` +
    `created twice ${r.dmsCreatedTwice}`
  );
}

function fireFrom(apiUrl: string, account: string, key: string, delta: number, count: number) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '-r',
        'ts-node/register',
        join(__dirname, 'fire-entry.ts'),
        apiUrl,
        account,
        key,
        String(delta),
        String(count),
      ],
      { env: { PATH: process.env.PATH, TS_NODE_TRANSPILE_ONLY: 'true' }, stdio: 'inherit' },
    );
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`firing process exited ${code}`)),
    );
  });
}

async function scheduledSince(pool: Pool, sinceMs: number): Promise<number> {
  const rows = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM reconcile_reports WHERE trigger = 'schedule' AND started_at >= $1`,
    [new Date(sinceMs)],
  );
  return rows.rows[0].n;
}

async function scheduledReports(pool: Pool): Promise<{ total: number; duplicates: number }> {
  // One report per time slot: the slot is the job id minus its prefix.
  const rows = await pool.query<{ total: number; slots: number }>(
    `SELECT count(*)::int AS total, count(DISTINCT job_id)::int AS slots
       FROM reconcile_reports WHERE trigger = 'schedule'`,
  );
  return { total: rows.rows[0].total, duplicates: rows.rows[0].total - rows.rows[0].slots };
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms`);
    await sleep(500);
  }
}

function say(line: string): void {
  process.stdout.write(`[faults ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
