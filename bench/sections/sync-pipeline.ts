import type { Pool } from 'pg';
import 'reflect-metadata';
import { LedgerService } from '@ttfd/economy';
import { OutboxDispatcher, SyncLane } from '@ttfd/sync';
import { seedAccounts } from '../lib/accounts';
import { bareBullmqLatency } from '../lib/bare-bullmq';
import { startBenchApp } from '../lib/bench-app';
import { benchPool, createBenchDatabase } from '../lib/bench-database';
import { floorTransaction } from '../lib/floor-transaction';
import { discordUserId, linkDiscord, mapRoles, rankRoleId, wantedRolesByUser } from '../lib/guild';
import { runAtRate, runConcurrent } from '../lib/pace';
import { countRoundTrips } from '../lib/round-trips';
import { postgresCpuMs } from '../lib/postgres-cpu';
import { progress } from '../lib/progress';
import { OwnRedis } from '../lib/redis-server';
import { peakRssMb, QUICK, Section } from '../lib/section';
import { TimedRoleGateway } from '../lib/timed-gateway';
import { ratio, round, summarize } from '../lib/stats';

// Every award crosses one rank, so every award has a role effect to time; each account can
// rise 19 times, so there are enough accounts for every award of every probe.
const ACCOUNTS = QUICK ? 2_000 : 30_000;
/** The rate; BENCH_SYNC_RATE measures the path at another (e.g. 50/s: an idle app). */
const LATENCY_RATE = Number(process.env.BENCH_SYNC_RATE ?? 500);
const LATENCY_SECONDS = QUICK ? 4 : 30;
/**
 * The app's first seconds at the rate, before the latency window: a process just started pays
 * first calls (V8 compiling the hot paths, each connection preparing its statements, the first
 * mapping read), 300 ms p50 in the first second on this machine whether or not the pool was
 * opened beforehand. They are reported apart (`cold*`), not mixed into the path's latency.
 */
const WARM_UP_SECONDS = QUICK ? 1 : 3;
const PROBE_SECONDS = QUICK ? 6 : 30;
/** "after 10 s" of a probe; scaled down for the quick probe. */
const PROBE_EARLY_SECONDS = QUICK ? 2 : 10;
/**
 * Enough to bracket the sustained rate and bisect it to RESOLUTION (from a start near it).
 * BENCH_SYNC_PROBES=0 measures the latency window alone.
 */
const MAX_PROBES = Number(process.env.BENCH_SYNC_PROBES ?? (QUICK ? 1 : 7));
if (!Number.isSafeInteger(MAX_PROBES) || MAX_PROBES < 0) {
  throw new Error(
    `BENCH_SYNC_PROBES must be a whole number >= 0, not ${process.env.BENCH_SYNC_PROBES}`,
  );
}
/** The bisection ends when the lowest failing rate is at most this times the highest passing. */
const RESOLUTION = 1.1;
const FLOOR_SECONDS = QUICK ? 2 : 10;
const MAX_IN_FLIGHT = 256;
/** A sustained probe's backlog may end this many seconds of events above where it was early. */
const SUSTAINED_TOLERANCE_SECONDS = 0.1;

interface Producer {
  award(): Promise<void>;
}

export const section: Section = {
  name: 'sync-pipeline',
  // The full run's own waits add up to about 13.6 minutes when every drain runs to its limit
  // (floor 10 s, bare 30 s, warm-up 3 + 30 s, latency 30 + 30 s, seven probes of 30 + 60 s, the
  // last drain 30 s); a probe that passes drains in a second or two.
  deadlineMs: QUICK ? 60_000 : 900_000,
  run: async () => {
    const database = await createBenchDatabase('sync');
    const redis = await OwnRedis.start();
    const pool = benchPool(database.url, 16);
    const gateway = new TimedRoleGateway();
    let bench: Awaited<ReturnType<typeof startBenchApp>> | undefined;
    try {
      const accounts = await seedAccounts(pool, ACCOUNTS);
      const floorAccounts = await seedAccounts(pool, 1_000);
      await mapRoles(pool);
      await linkDiscord(pool, accounts);
      for (const [userId, roles] of await wantedRolesByUser(pool)) gateway.setMember(userId, roles);
      const rankMins = (
        await pool.query<{ min_xp: string }>(`SELECT min_xp FROM ranks ORDER BY id`)
      ).rows.map((row) => Number(row.min_xp));

      progress(`sync-pipeline: floor for ${FLOOR_SECONDS} s`);
      const floorTps = await measureFloor(pool, floorAccounts);

      progress(`sync-pipeline: bare BullMQ at ${LATENCY_RATE}/s`);
      const bare = await bareBullmqLatency(redis.port, LATENCY_RATE, LATENCY_SECONDS, 16);

      bench = await startBenchApp({
        databaseUrl: database.url,
        redisUrl: redis.url,
        roles: 'worker,scheduler',
        gateway,
        env: {
          // The scheduler is here for the lanes' sweep. A scheduled reconcile striking during a
          // probe converges every member beside it (the 18:45 one ran the 18:44 probe past the
          // section's deadline): none during the run.
          RECONCILE_CRON: '0 0 1 1 *',
        },
      });
      const ledger = bench.app.get(LedgerService);
      // Commit time = when the after-commit hook wakes the lane (right after COMMIT).
      const committedAt = new Map<string, number>();
      const dispatcher = bench.app.get(OutboxDispatcher);
      const dispatch = dispatcher.dispatch.bind(dispatcher);
      dispatcher.dispatch = (ids: string[], lanes: SyncLane[]): void => {
        const now = performance.now();
        for (const id of ids) committedAt.set(id, now);
        dispatch(ids, lanes);
      };

      // Round-robin over accounts; each award lifts its account exactly to the next rank.
      const xpOf = new Array<number>(ACCOUNTS).fill(0);
      const rankOf = new Array<number>(ACCOUNTS).fill(1);
      let next = 0;
      let awarded = 0;
      const producer: Producer = {
        award: async () => {
          const index = next++ % ACCOUNTS;
          if (rankOf[index] >= 20) throw new Error('out of rank-ups: raise ACCOUNTS');
          const xp = rankMins[rankOf[index]] - xpOf[index];
          rankOf[index] += 1;
          xpOf[index] += xp;
          await ledger.award({
            accountId: accounts[index],
            xp,
            reason: 'daily_spin',
            source: 'telegram',
            idempotencyKey: `pipe:${awarded++}:${accounts[index]}`,
          });
        },
      };

      progress(`sync-pipeline: warm-up at ${LATENCY_RATE}/s for ${WARM_UP_SECONDS} s`);
      const beforeWarmUp = await maxEventId(pool);
      const warmUp = await runAtRate(LATENCY_RATE, WARM_UP_SECONDS * 1000, MAX_IN_FLIGHT, () =>
        producer.award(),
      );
      await drain(pool, 30_000);
      const firstEvent = await maxEventId(pool);
      const cold = summarize(
        (await commitToGateway(pool, beforeWarmUp, committedAt, gateway, firstEvent)).samples,
      );

      progress(`sync-pipeline: latency at ${LATENCY_RATE}/s for ${LATENCY_SECONDS} s`);
      // Round trips of the awards and of everything the sync does for them, until drained (the
      // drain's own polls, about ten a second, are counted too).
      let paced: Awaited<ReturnType<typeof runAtRate>> | undefined;
      const postgresBefore = postgresCpuMs();
      const processBefore = process.cpuUsage();
      const trips = await countRoundTrips(async () => {
        paced = await runAtRate(LATENCY_RATE, LATENCY_SECONDS * 1000, MAX_IN_FLIGHT, () =>
          producer.award(),
        );
        await drain(pool, 30_000);
      });
      if (!paced) throw new Error('the latency run did not run');
      const processCpu = process.cpuUsage(processBefore);
      const postgresAfter = postgresCpuMs();
      const perRankUp = (ms: number) => round(ms / Math.max(1, paced!.started), 3);
      const latencies = await commitToGateway(pool, firstEvent, committedAt, gateway);
      const latency = summarize(latencies.samples);

      // Up by half from 0.4 of the floor while probes pass (down while they fail), then bisect
      // between the highest pass and the lowest failure until they are RESOLUTION apart.
      let sustained = 0;
      let failedAt = 0;
      const probes: Record<string, unknown>[] = [];
      // Rounded up: a pass at the first rate then shows the goal of 0.4 of the floor met.
      let rate = Math.max(50, Math.ceil((floorTps * 0.4) / 10) * 10);
      for (let i = 0; i < MAX_PROBES; i++) {
        progress(`sync-pipeline: sustained probe ${i + 1} (at most ${MAX_PROBES}) at ${rate}/s`);
        const probe = await sustainedProbe(pool, producer, rate);
        probes.push({ rate, ...probe });
        await drain(pool, 60_000);
        if (probe.pass) sustained = rate;
        else failedAt = rate;
        const next = nextProbeRate(sustained, failedAt, rate);
        if (next === null) break;
        rate = next;
      }
      const check = await settleCheck(pool, gateway);
      const errors = paced.errors + warmUp.errors;
      if (check.open > 0 || check.mismatched > 0 || errors > 0) {
        throw new Error(`pipeline lost work: ${JSON.stringify({ ...check, errors })}`);
      }
      return {
        accounts: ACCOUNTS,
        floorTps: round(floorTps, 0),
        latencyRate: LATENCY_RATE,
        latencyAwards: paced.started,
        // Awards the producers could not start (256 in flight): the awards themselves saturated.
        latencySkipped: paced.skipped,
        latencySamples: latency.count,
        coalesced: latencies.missing,
        latencyP50: latency.p50,
        latencyP99: latency.p99,
        latencyMax: latency.max,
        bareP50: bare.p50,
        bareP99: bare.p99,
        bareMax: bare.max,
        latencyP99MinusBare: round(latency.p99 - bare.p99),
        warmUpSeconds: WARM_UP_SECONDS,
        coldP50: cold.p50,
        coldP99: cold.p99,
        // Per rank-up award and its convergence (and its DM row), amortized over the window.
        sqlPerRankUp: round(trips.sql / Math.max(1, paced.started), 2),
        redisPerRankUp: round(trips.redis / Math.max(1, paced.started), 2),
        roundTripsPerRankUp: round((trips.sql + trips.redis) / Math.max(1, paced.started), 2),
        // CPU per rank-up over the same window: Postgres' (every backend, autovacuum included)
        // and this process's (the app and the producers).
        postgresCpuMsPerRankUp:
          postgresBefore === null || postgresAfter === null
            ? null
            : perRankUp(postgresAfter - postgresBefore),
        processCpuMsPerRankUp: perRankUp((processCpu.user + processCpu.system) / 1000),
        sustainedPerSecond: sustained,
        sustainedBelow: failedAt || null,
        // How far apart the last pass and failure are (the bisection's resolution reached).
        sustainedBracket: sustained && failedAt ? round(failedAt / sustained, 3) : null,
        sustainedToFloor: ratio(sustained, floorTps),
        probes,
        roleCalls: gateway.changes().length,
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

/**
 * The next probe's rate: up by half while every probe passed, down to 0.6 while every one
 * failed, then the geometric middle of the highest pass and the lowest failure; null once they
 * are RESOLUTION apart (or no whole rate lies between them).
 */
function nextProbeRate(passed: number, failed: number, last: number): number | null {
  if (!failed) return Math.round(last * 1.5);
  if (!passed) return Math.max(1, Math.round(last * 0.6));
  if (failed / passed <= RESOLUTION) return null;
  const middle = Math.round(Math.sqrt(passed * failed));
  return middle > passed && middle < failed ? middle : null;
}

async function measureFloor(pool: Pool, accounts: string[]): Promise<number> {
  const until = performance.now() + FLOOR_SECONDS * 1000;
  let done = 0;
  const started = performance.now();
  await runConcurrent(1_000_000, 16, async (i) => {
    if (performance.now() > until) return;
    await floorTransaction(pool, accounts[i % accounts.length], 5, `floor:${i}`);
    done += 1;
  });
  return (done / (performance.now() - started)) * 1000;
}

async function maxEventId(pool: Pool): Promise<number> {
  const rows = await pool.query<{ id: string | null }>(`SELECT max(id) AS id FROM sync_events`);
  return Number(rows.rows[0].id ?? 0);
}

/** Open rows of the role lanes (`dmLanes`: of the message lanes, reported apart). */
async function backlog(pool: Pool, dmLanes = false): Promise<number> {
  const rows = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM sync_events
      WHERE status IN ('pending', 'processing') AND (lane LIKE 'dm:%') = $1`,
    [dmLanes],
  );
  return rows.rows[0].n;
}

/** Waits until nothing is open in any lane (bounded). */
async function drain(pool: Pool, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await backlog(pool)) + (await backlog(pool, true)) > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Commit -> gateway call of each rank-up's new rank role (events after `afterId`, up to
 * `upToId`). A rank-up whose role never got its own add (two rank-ups of one member converged
 * in one pass) has no sample: counted apart.
 */
async function commitToGateway(
  pool: Pool,
  afterId: number,
  committedAt: Map<string, number>,
  gateway: TimedRoleGateway,
  upToId = Number.MAX_SAFE_INTEGER,
): Promise<{ samples: number[]; missing: number }> {
  const rows = await pool.query<{ id: string; account_id: string; to: number }>(
    `SELECT id, account_id, (payload->>'to')::int AS to FROM sync_events
      WHERE id > $1 AND id <= $2 AND type = 'rank.changed'`,
    [afterId, upToId],
  );
  const samples: number[] = [];
  let missing = 0;
  for (const row of rows.rows) {
    const committed = committedAt.get(String(row.id));
    const added = gateway.addedAt.get(
      `${discordUserId(String(row.account_id))}:${rankRoleId(row.to)}`,
    );
    if (committed === undefined || added === undefined) missing += 1;
    else samples.push(added - committed);
  }
  return { samples, missing };
}

/**
 * Awards at `rate` for PROBE_SECONDS; the backlog (open outbox rows) is averaged over the two
 * seconds up to PROBE_EARLY_SECONDS and over the last two. Sustained: the late backlog is no
 * larger than the early one plus a tenth of a second's events, and the producers kept the rate.
 * The open rows include the batches in flight, a few dozen that move with the machine's mood; a
 * rate even 1% above what the pipeline carries leaves (PROBE_SECONDS - PROBE_EARLY_SECONDS) / 100
 * seconds of events behind, 0.2 s in the full probe, twice that tolerance; one 10% above (the
 * bisection's resolution) leaves 2 s.
 */
async function sustainedProbe(
  pool: Pool,
  producer: Producer,
  rate: number,
): Promise<{ pass: boolean; early: number; late: number; skipped: number; errors: number }> {
  const samples: { at: number; open: number }[] = [];
  const started = performance.now();
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      samples.push({ at: (performance.now() - started) / 1000, open: await backlog(pool) });
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();
  const paced = await runAtRate(rate, PROBE_SECONDS * 1000, MAX_IN_FLIGHT, () => producer.award());
  sampling = false;
  await sampler;
  const mean = (from: number, to: number): number => {
    const window = samples.filter((s) => s.at >= from && s.at <= to).map((s) => s.open);
    return window.length ? window.reduce((a, b) => a + b, 0) / window.length : 0;
  };
  const early = mean(PROBE_EARLY_SECONDS - 2, PROBE_EARLY_SECONDS);
  const late = mean(PROBE_SECONDS - 2, PROBE_SECONDS);
  const tolerance = rate * SUSTAINED_TOLERANCE_SECONDS;
  const pass = paced.skipped === 0 && paced.errors === 0 && late <= early + tolerance;
  return {
    pass,
    early: round(early, 0),
    late: round(late, 0),
    skipped: paced.skipped,
    errors: paced.errors,
  };
}

/** After the last drain: nothing open, every member holds exactly what the tables say. */
async function settleCheck(
  pool: Pool,
  gateway: TimedRoleGateway,
): Promise<{ open: number; mismatched: number }> {
  await drain(pool, 30_000);
  const wanted = await wantedRolesByUser(pool);
  let mismatched = 0;
  for (const [userId, roles] of wanted) {
    if ((gateway.rolesOf(userId) ?? []).join() !== roles.join()) mismatched += 1;
  }
  return { open: (await backlog(pool)) + (await backlog(pool, true)), mismatched };
}
