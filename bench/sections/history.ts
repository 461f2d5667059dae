import { performance } from 'node:perf_hooks';
import type { Pool } from 'pg';
import 'reflect-metadata';
import { LedgerService } from '@ttfd/economy';
import { ReconcileService } from '@ttfd/sync';
// The fake Bot API is test code with no @ttfd/* alias; the rule is about libraries' aliases.
// eslint-disable-next-line no-restricted-imports
import { FakeTelegram } from '../../test/fakes/telegram';
import { loadTest } from '../lib/autocannon';
import { AppProcess } from '../faults/cluster';
import { BENCH_ADMIN_TOKEN, benchAppEnv, startBenchApp } from '../lib/bench-app';
import { benchPool, createBenchDatabase } from '../lib/bench-database';
import { progress } from '../lib/progress';
import { OwnRedis } from '../lib/redis-server';
import { peakRssMb, QUICK, Section } from '../lib/section';
import { round } from '../lib/stats';

function historyScale(setting: string | undefined): number {
  if (setting === undefined || setting === '') return QUICK ? 1 / 50 : 1;
  const scale = Number(setting);
  if (!(scale > 0 && scale <= 1)) {
    throw new Error(`BENCH_HISTORY_SCALE must be a fraction in (0, 1], not "${setting}"`);
  }
  return scale;
}

/**
 * A year-sized community; --quick builds 1/50 of it, `BENCH_HISTORY_SCALE` (a fraction, e.g. 0.2)
 * any other share while iterating.
 */
const SCALE = historyScale(process.env.BENCH_HISTORY_SCALE);
const ACCOUNTS = Math.round(100_000 * SCALE);
const LEDGER_ROWS = Math.round(5_000_000 * SCALE);
const SYNC_EVENTS = Math.round(1_000_000 * SCALE);
const MONTHS = 12;
const CHANGES = QUICK ? 200 : 1_000;
const SAMPLES = QUICK ? 100 : 200;
const CONNECTIONS = 16;
const SECONDS = QUICK ? 2 : 5;
/** How long each read runs at CONNECTIONS before it is timed (warmUp). */
const WARM_UP_MS = QUICK ? 500 : 2_000;
const DAY_MS = 24 * 3600 * 1000;
/** After a first /profile's card arrived, before the next ask (telegramProfile). */
const CARD_SETTLE_MS = 25;
/** Telegram user ids of the generated players: 1e9 + account id. */
const TELEGRAM_BASE = 1_000_000_000;

const LEADERBOARD = JSON.stringify({
  query: '{ leaderboard(first: 10) { entries { place accountId xp } hasNextPage endCursor } }',
});
const OVERVIEW = JSON.stringify({
  query: `{ communityOverview(hours: 6, bucketMinutes: 10) { players linkedPlayers linkedShare xpAwardedToday series { at completed lagP95Ms } }
            syncStats { byStatus { key count } byType { type status count } throughputPerMinute lagMs { p50 p95 max } oldestPendingAgeMs } }`,
});
const PROFILE_FIELDS =
  '{ accountId xp coins rank { id nameEn } nextRank { id } progress { percent } achievements { code } season { place xp } }';
/** As the dashboard asks it (player-page.ts): one document, the account in a variable. */
function profileQuery(accountId: string): string {
  return JSON.stringify({
    query: `query Profile($id: ID!) { profile(accountId: $id) ${PROFILE_FIELDS} }`,
    variables: { id: accountId },
  });
}
/**
 * The account written into the document: a new document each time, which Apollo parses and
 * validates again (it caches documents by their text); reported beside, not the goal's figure.
 */
function inlineProfileQuery(accountId: string): string {
  return JSON.stringify({ query: `{ profile(accountId: "${accountId}") ${PROFILE_FIELDS} }` });
}

/**
 * A year of history: 100k accounts, 5M ledger rows over 12 monthly seasons, 1M outbox rows (what
 * retention keeps), built with generate_series. Checks the generated data (totals = ledger sums,
 * season scores = the ledger's season aggregate, counters = full counts), then measures the hot
 * reads with one client (p95) and at 16 connections (req/s), and a full and an incremental
 * reconcile pass.
 */
export const section: Section = {
  name: 'history',
  deadlineMs: QUICK ? 180_000 : 2_400_000,
  run: async () => {
    const database = await createBenchDatabase('history');
    const redis = await OwnRedis.start();
    const pool = benchPool(database.url, 2);
    let fake: FakeTelegram | undefined;
    let bot: AppProcess | undefined;
    let bench: Awaited<ReturnType<typeof startBenchApp>> | undefined;
    try {
      const built = performance.now();
      await build(pool);
      const buildSeconds = round((performance.now() - built) / 1000, 1);
      const checks = await verify(pool);
      progress(`history: built in ${buildSeconds} s; checks ${JSON.stringify(checks)}`);

      bench = await startBenchApp({
        databaseUrl: database.url,
        redisUrl: redis.url,
        roles: 'api,worker',
        env: {
          // The rolling slice of an incremental pass: 1/20 of the accounts.
          RECONCILE_ROLLING_ACCOUNTS: String(Math.ceil(ACCOUNTS / 20)),
        },
      });
      const graphql = `${bench.url}/graphql`;
      const admin = { authorization: `Bearer ${BENCH_ADMIN_TOKEN}` };
      const accountAt = (i: number) => String(1 + ((i * 7_919) % ACCOUNTS));

      const reads: Record<string, HttpRead> = {
        graphqlProfile: { url: graphql, body: (i) => profileQuery(accountAt(i)) },
        graphqlLeaderboard: { url: graphql, body: () => LEADERBOARD },
        metrics: { url: `${bench.url}/metrics` },
        dashboardOverview: { url: graphql, body: () => OVERVIEW, headers: admin },
      };
      const figures: Record<string, number> = {};
      for (const [name, read] of Object.entries(reads)) {
        progress(`history: ${name}, one client then ${CONNECTIONS} connections`);
        const p95 = await oneClientP95(read);
        const load = await loadTest({
          url: read.url,
          connections: CONNECTIONS,
          seconds: SECONDS,
          ...(read.body
            ? { method: 'POST' as const, body: read.body(42), headers: read.headers }
            : { headers: read.headers }),
        });
        if (load.errors > 0 || load.non2xx > 0) {
          throw new Error(`${name}: ${load.errors} errors, ${load.non2xx} non-2xx under load`);
        }
        figures[`${name}P95`] = p95;
        figures[`${name}Rps`] = load.requestsPerSecond;
        progress(`history: ${name} p95 ${p95} ms, ${load.requestsPerSecond} req/s`);
      }
      figures.graphqlProfileInlineP95 = await oneClientP95({
        url: graphql,
        body: (i) => inlineProfileQuery(accountAt(i)),
      });
      progress(
        `history: graphqlProfile with the id inlined p95 ${figures.graphqlProfileInlineP95} ms`,
      );
      // The bot runs as production runs it: the built app in a process of its own, so what is
      // timed is its path, not this process's load generator, fake and garbage beside it.
      progress('history: Telegram /profile through the bot (its own process)');
      fake = await FakeTelegram.start({ acceptUploads: true });
      bot = new AppProcess('telegram', {
        ...benchAppEnv({
          databaseUrl: database.url,
          redisUrl: redis.url,
          roles: 'telegram',
          env: {
            TELEGRAM_BOT_TOKEN: fake.token,
            TELEGRAM_API_ROOT: fake.apiRoot,
            TELEGRAM_POLL_TIMEOUT_SECONDS: '5',
            TELEGRAM_SEND_PER_CHAT_PER_SECOND: '1000',
            TELEGRAM_SEND_PER_SECOND: '1000',
            TELEGRAM_FLOOD_LIMIT: '10000',
          },
        }),
      });
      await bot.start();
      const telegram = await telegramProfile(fake, accountAt);
      await bot.stop();
      figures.telegramProfileP95 = telegram.p95Ms;
      figures.telegramProfileCachedP95 = telegram.cachedP95Ms;
      figures.telegramProfileRps = telegram.rps;
      progress(
        `history: telegramProfile p95 ${telegram.p95Ms} ms (card cached ${telegram.cachedP95Ms} ms), ${telegram.rps} req/s`,
      );

      const reconcile = bench.app.get(ReconcileService);
      progress('history: reconcile, one full pass');
      const full = await runReconcile(reconcile, 'full', QUICK ? 60_000 : 300_000);
      progress(`history: full pass ${full.seconds} s over ${full.accounts} accounts`);
      // Two incremental passes bring the watermark (it trails by one pass) up to date.
      await runReconcile(reconcile, 'incremental', 120_000);
      await runReconcile(reconcile, 'incremental', 120_000);
      progress(`history: ${CHANGES} changes, then one incremental pass`);
      const ledger = bench.app.get(LedgerService);
      for (let i = 0; i < CHANGES; i += 1) {
        await ledger.award({
          accountId: accountAt(i * 13 + 5),
          xp: 10,
          reason: 'discord_message',
          source: 'discord',
          idempotencyKey: `history-change:${i}`,
        });
      }
      const incremental = await runReconcile(reconcile, 'incremental', 120_000);
      progress(
        `history: incremental pass ${incremental.seconds} s (${JSON.stringify(incremental)})`,
      );

      return {
        accounts: ACCOUNTS,
        ledgerRows: LEDGER_ROWS,
        syncEvents: SYNC_EVENTS,
        buildSeconds,
        ...checks,
        ...figures,
        connections: CONNECTIONS,
        fullSeconds: full.seconds,
        fullAccounts: full.accounts,
        changes: CHANGES,
        incrementalSeconds: incremental.seconds,
        incrementalAccounts: incremental.accounts,
        incrementalChanged: incremental.changed,
        incrementalRolling: incremental.rolling,
        peakRssMb: peakRssMb(),
      };
    } finally {
      await bot?.stop();
      await bench?.close();
      await fake?.stop();
      await pool.end();
      await redis.stop();
      await database.drop();
    }
  },
};

interface HttpRead {
  url: string;
  body?: (i: number) => string;
  headers?: Record<string, string>;
}

/** p95 of SAMPLES sequential requests (after a short warm-up), ms. */
async function oneClientP95(read: HttpRead): Promise<number> {
  const once = async (i: number) => {
    const response = await fetch(read.url, {
      method: read.body ? 'POST' : 'GET',
      headers: { 'content-type': 'application/json', ...read.headers },
      body: read.body?.(i),
    });
    const text = await response.text();
    if (!response.ok || text.includes('"errors"')) {
      throw new Error(`${read.url} answered ${response.status}: ${text.slice(0, 300)}`);
    }
  };
  await warmUp(once);
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES; i += 1) {
    const started = performance.now();
    await once(i + 100);
    samples.push(performance.now() - started);
  }
  return p95(samples);
}

/**
 * Before timing: the server's steady state, not its first minute (V8 still compiling the hot
 * paths, every pool connection yet to run the read: a connection's first run of a statement loads
 * catalog caches and prepares it, several ms). The same read timed a second time in one run
 * took 6.3 ms where its first timing took 9.1. So: the read at CONNECTIONS at once for
 * WARM_UP_MS, then 20 one after another.
 */
async function warmUp(once: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const until = performance.now() + WARM_UP_MS;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < until) await once(next++);
    }),
  );
  for (let i = 0; i < 20; i += 1) await once(next++);
}

function p95(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return round(sorted[Math.min(sorted.length - 1, Math.floor(0.95 * sorted.length))]);
}

/**
 * `/profile` as a player sends it: an update through the fake Bot API, the real telegraf client,
 * the command handler, the answer back at the fake, timed when the fake answers it (heard, not
 * polled). A player asked for the first time has no card cached: the answer is the text profile
 * and the card follows (drawn off the request path, not timed; the next ask waits for it and
 * CARD_SETTLE_MS more). p95 from one player at a time;
 * then the same players again, their cards cached: the answer is the card, sent again by its
 * file_id; req/s from 16 players at once, each asked once.
 */
async function telegramProfile(
  fake: FakeTelegram,
  accountAt: (i: number) => string,
): Promise<Record<string, number>> {
  const chatOf = (i: number) => {
    // Accounts whose id ends in 7 are Discord-only: the next one is on Telegram.
    const account = Number(accountAt(i));
    return TELEGRAM_BASE + (account % 10 === 7 ? account + 1 : account);
  };
  const toChat = (id: number, methods: string[]) => (call: { method: string; params: unknown }) =>
    methods.includes(call.method) && Number((call.params as { chat_id?: unknown }).chat_id) === id;
  /** Asks, and waits for the answer; then (`card`) for the card too. */
  const ask = async (i: number, card = false): Promise<{ ms: number; method: string }> => {
    const id = chatOf(i);
    const answered = fake.nextCall(toChat(id, ['sendMessage', 'sendPhoto']), 10_000);
    const photo = card ? fake.nextCall(toChat(id, ['sendPhoto']), 10_000) : undefined;
    const started = performance.now();
    // The name the player has (as generated): a changed name would be stored first, a write
    // that is not what this read measures.
    fake.sendText({ id, first_name: 'Player', last_name: String(id - TELEGRAM_BASE) }, '/profile');
    const answer = await answered;
    const ms = performance.now() - started;
    if (photo) {
      await photo;
      // The next ask starts once the card's tail is done (the fake's answer to the upload, the
      // bot's handling of it, collecting the drawing's buffers), or one client's p95 would time
      // its previous request's card.
      await new Promise((resolve) => setTimeout(resolve, CARD_SETTLE_MS));
    }
    return { ms, method: answer.method };
  };
  await warmUp((i) => ask(1_000 + i, true));
  const count = Math.min(SAMPLES, QUICK ? 40 : 100);
  const first: number[] = [];
  for (let i = 0; i < count; i += 1) first.push((await ask(2_000 + i, true)).ms);
  const cached: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const { ms, method } = await ask(2_000 + i);
    if (method !== 'sendPhoto') throw new Error(`a cached /profile was answered by ${method}`);
    cached.push(ms);
  }
  let done = 0;
  const until = performance.now() + SECONDS * 1000;
  let next = 10_000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (performance.now() < until) {
        next += 1;
        await ask(next);
        done += 1;
      }
    }),
  );
  return { p95Ms: p95(first), cachedP95Ms: p95(cached), rps: Math.round(done / SECONDS) };
}

async function runReconcile(
  reconcile: ReconcileService,
  mode: 'full' | 'incremental',
  timeoutMs: number,
): Promise<{ seconds: number; accounts: number; changed: number | null; rolling: number | null }> {
  const jobId = await reconcile.runNow(mode);
  const deadline = Date.now() + timeoutMs;
  let report = await reconcile.report(jobId);
  while (report?.status !== 'completed') {
    if (report?.status === 'failed') throw new Error(`reconcile failed: ${report.error}`);
    if (Date.now() > deadline) throw new Error(`reconcile ${mode} did not finish in time`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    report = await reconcile.report(jobId);
  }
  const drifted = Object.values(report.drifted).reduce((sum, n) => sum + n, 0);
  if (drifted > 0) throw new Error(`reconcile ${mode} found drift: ${JSON.stringify(report)}`);
  return {
    seconds: round((report.finishedAt!.getTime() - report.startedAt.getTime()) / 1000, 2),
    accounts: report.checked.accounts,
    changed: report.checked.accountsChanged ?? null,
    rolling: report.checked.accountsRolling ?? null,
  };
}

/** The community, generated in SQL: a few statements, each one pass of generate_series. */
async function build(pool: Pool): Promise<void> {
  const now = Date.now();
  const yearAgo = new Date(now - 365 * DAY_MS);
  progress(`history: ${ACCOUNTS} accounts and their identities`);
  await pool.query(
    `INSERT INTO accounts (created_at, updated_at)
     SELECT $2::timestamptz + (g * interval '1 second'), $2::timestamptz
       FROM generate_series(1, $1) AS g`,
    [ACCOUNTS, yearAgo],
  );
  // Everyone on Telegram; one in five also on Discord (linked), one in ten Discord-only.
  await pool.query(
    `INSERT INTO identities (account_id, platform, external_id, username, display_name, locale)
     SELECT id, 'telegram', ($1::bigint + id)::text, 'player' || id, 'Player ' || id,
            CASE WHEN id % 3 = 0 THEN 'en' ELSE 'ru' END
       FROM accounts WHERE id % 10 <> 7`,
    [TELEGRAM_BASE],
  );
  await pool.query(
    `INSERT INTO identities (account_id, platform, external_id, username, display_name)
     SELECT id, 'discord', (200000000000000000 + id)::text, 'd' || id, 'D ' || id
       FROM accounts WHERE id % 5 = 0 OR id % 10 = 7`,
  );
  // Twelve monthly seasons: eleven closed, the last one open.
  await pool.query(
    `INSERT INTO seasons (name, starts_at, ends_at, status, closed_at, prizes_paid_at)
     SELECT 'Month ' || m, $1::timestamptz + (m - 1) * interval '30 days',
            $1::timestamptz + m * interval '30 days' + CASE WHEN m = $2 THEN interval '10 days' ELSE interval '0' END,
            CASE WHEN m = $2 THEN 'open' ELSE 'closed' END,
            CASE WHEN m = $2 THEN NULL ELSE $1::timestamptz + m * interval '30 days' END,
            CASE WHEN m = $2 THEN NULL ELSE $1::timestamptz + m * interval '30 days' END
       FROM generate_series(1, $2) AS m`,
    [yearAgo, MONTHS],
  );
  progress(`history: ${LEDGER_ROWS} ledger rows over ${MONTHS} months`);
  const ledgerIndexes = await dropPlainIndexes(pool, 'ledger_entries');
  // Row g falls at g / rows of the year; its season is its 30-day month (the last one open).
  await pool.query(
    `INSERT INTO ledger_entries (account_id, xp_delta, coins_delta, reason, source,
                                 idempotency_key, created_at, season_id)
     SELECT 1 + ((g::bigint * 7919) % $1), 5 + g % 20, CASE WHEN g % 4 = 0 THEN 3 ELSE 0 END,
            CASE WHEN g % 7 = 0 THEN 'voice_minute' ELSE 'discord_message' END,
            CASE WHEN g % 3 = 0 THEN 'telegram' ELSE 'discord' END,
            'h:' || g,
            $3::timestamptz + (g::float8 / $2) * interval '365 days',
            LEAST($4, 1 + floor((g::float8 / $2) * 365 / 30)::int)
       FROM generate_series(1, $2) AS g`,
    [ACCOUNTS, LEDGER_ROWS, yearAgo, MONTHS],
  );
  await recreate(pool, ledgerIndexes);
  progress('history: totals, season scores and results from the ledger');
  await pool.query(
    `UPDATE accounts a SET xp = s.xp, coins = s.coins,
            rank_id = rank_for_xp(s.xp::bigint)
       FROM (SELECT account_id, sum(xp_delta) AS xp, sum(coins_delta) AS coins
               FROM ledger_entries GROUP BY account_id) s
      WHERE a.id = s.account_id`,
  );
  await pool.query(
    `INSERT INTO season_scores (season_id, account_id, xp, reached_at)
     SELECT season_id, account_id, sum(xp_delta), max(created_at) FROM ledger_entries
      WHERE xp_delta > 0 GROUP BY season_id, account_id`,
  );
  await pool.query(
    `INSERT INTO season_results (season_id, place, account_id, xp, reached_at)
     SELECT s.season_id, row_number() OVER (PARTITION BY s.season_id
                                            ORDER BY s.xp DESC, s.reached_at, s.account_id),
            s.account_id, s.xp, s.reached_at
       FROM season_scores s JOIN seasons ON seasons.id = s.season_id
      WHERE seasons.status = 'closed'`,
  );
  progress(`history: ${SYNC_EVENTS} sync events (the retention window)`);
  const eventIndexes = await dropPlainIndexes(pool, 'sync_events');
  await pool.query(
    `INSERT INTO sync_events (type, source, account_id, payload, status, attempts,
                              created_at, updated_at, completed_at, next_attempt_at, last_error)
     SELECT (ARRAY['rank.changed', 'roles.resync', 'achievement.unlocked', 'account.linked'])[1 + g % 4],
            'discord', 1 + (g % $1), '{}'::jsonb,
            CASE WHEN g % 100 = 0 THEN 'failed' ELSE 'completed' END,
            1 + g % 3,
            t, t, CASE WHEN g % 100 = 0 THEN NULL ELSE t + interval '300 ms' END, t,
            CASE WHEN g % 100 = 0 THEN 'Missing Permissions' ELSE NULL END
       FROM generate_series(1, $2) AS g,
            LATERAL (SELECT $3::timestamptz - ((g::float8 / $2) * interval '29 days') AS t) at`,
    [ACCOUNTS, SYNC_EVENTS, new Date(now)],
  );
  await recreate(pool, eventIndexes);
  progress('history: VACUUM ANALYZE, CHECKPOINT');
  await pool.query('VACUUM ANALYZE');
  // The build dirtied gigabytes of buffers: flushed now, not by the checkpointer while the
  // reads are measured (the first read's slowness after start was mostly the app's own first
  // minute: see warmUp).
  await pool.query('CHECKPOINT');
}

/**
 * A bulk load is faster into a table without its secondary indexes, built once afterwards
 * (constraint indexes stay: the unique keys are part of what is checked).
 */
async function dropPlainIndexes(pool: Pool, table: string): Promise<string[]> {
  const { rows } = await pool.query<{ indexname: string; indexdef: string }>(
    `SELECT indexname, indexdef FROM pg_indexes
      WHERE schemaname = 'public' AND tablename = $1
        AND indexname NOT IN (SELECT conname FROM pg_constraint)`,
    [table],
  );
  for (const row of rows) await pool.query(`DROP INDEX ${row.indexname}`);
  return rows.map((row) => row.indexdef);
}

async function recreate(pool: Pool, definitions: string[]): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query(`SET maintenance_work_mem = '256MB'`);
    for (const definition of definitions) await client.query(definition);
  } finally {
    client.release();
  }
}

/** The generated data holds the invariants the app keeps (else the figures mean nothing). */
async function verify(pool: Pool): Promise<Record<string, number>> {
  const one = async (sql: string) => Number((await pool.query<{ n: string }>(sql)).rows[0].n);
  const checks = {
    totalsOffLedger: await one(
      `SELECT count(*) AS n FROM accounts a
         LEFT JOIN (SELECT account_id, sum(xp_delta) AS xp, sum(coins_delta) AS coins
                      FROM ledger_entries GROUP BY account_id) s ON s.account_id = a.id
        WHERE a.xp <> COALESCE(s.xp, 0) OR a.coins <> COALESCE(s.coins, 0)`,
    ),
    seasonScoresOffLedger: await one(
      `SELECT count(*) AS n FROM
         (SELECT season_id, account_id, sum(xp_delta) AS xp FROM ledger_entries
           WHERE xp_delta > 0 GROUP BY season_id, account_id) l
         FULL JOIN season_scores s USING (season_id, account_id)
        WHERE l.xp IS DISTINCT FROM s.xp`,
    ),
    eventCountersOff: await one(
      `SELECT count(*) AS n FROM
         (SELECT type, status, count(*) AS n FROM sync_events GROUP BY 1, 2) t
         FULL JOIN (SELECT type, status, sum(n) AS n FROM sync_event_counts GROUP BY 1, 2) c
           USING (type, status)
        WHERE COALESCE(c.n, 0) <> COALESCE(t.n, 0)`,
    ),
    playerCountersOff: await one(
      `SELECT count(*) AS n FROM
         (SELECT sum(n) FILTER (WHERE name = 'players') AS players,
                 sum(n) FILTER (WHERE name = 'linked_players') AS linked FROM community_counts) c,
         (SELECT count(*) AS players FROM accounts WHERE merged_into IS NULL) p,
         (SELECT count(*) AS linked FROM (SELECT account_id FROM identities GROUP BY 1
                                           HAVING count(DISTINCT platform) = 2) x) l
        WHERE c.players <> p.players OR c.linked <> l.linked`,
    ),
    // The overview's counters, moved by the bulk inserts' statement triggers.
    xpCountersOff: await one(
      `SELECT count(*) AS n FROM
         (SELECT date_bin('15 minutes', created_at, 'epoch') AS bucket, sum(xp_delta) AS xp
            FROM ledger_entries WHERE xp_delta > 0 GROUP BY 1) t
         FULL JOIN (SELECT bucket, sum(xp) AS xp FROM xp_earned_counts GROUP BY 1) c
           USING (bucket)
        WHERE COALESCE(c.xp, 0) <> COALESCE(t.xp, 0)`,
    ),
    completionCountersOff: await one(
      `SELECT count(*) AS n FROM
         (SELECT date_trunc('minute', completed_at) AS minute,
                 sync_lag_bin(attempts, created_at, completed_at) AS lag_bin, count(*) AS n
            FROM sync_events WHERE status = 'completed' GROUP BY 1, 2) t
         FULL JOIN (SELECT minute, lag_bin, sum(n) AS n FROM sync_completion_counts
                     GROUP BY 1, 2) c USING (minute, lag_bin)
        WHERE COALESCE(c.n, 0) <> COALESCE(t.n, 0)`,
    ),
  };
  const failed = Object.entries(checks).filter(([, n]) => n !== 0);
  if (failed.length > 0)
    throw new Error(`generated history is inconsistent: ${JSON.stringify(checks)}`);
  return checks;
}
