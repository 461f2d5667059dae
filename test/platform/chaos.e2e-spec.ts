/**
 * Chaos: the built app (`node dist/apps/server/src/main.js`, a child process like the fault
 * drills' AppProcess) with every role on, both bots at their fakes, while Discord answers every
 * interaction callback and webhook edit with 10062 Unknown interaction, 500 or nothing, and the
 * Bot API answers 500, 429 (retry_after) or nothing. Players keep using both bots and admin
 * adjustments keep moving Discord-linked players across ranks (role changes in the outbox).
 *
 * It must be a non-event: the same pid lives through it, `/health` answers 200 throughout and
 * reports the platforms 'degraded', and once the storm ends every outbox event completes, both
 * bots answer a fresh command and `/health` reports them 'ok' again. An in-process app cannot
 * show an exit (jest would catch it), hence the child process.
 *
 * CHAOS_STORM_SECONDS (default 60) sets the storm's length; CHAOS_HEAL_SECONDS (default 60)
 * bounds each wait after it.
 */
import { existsSync } from 'node:fs';
import { Pool } from 'pg';
import { FakeDiscord, type InteractionHandle } from '../fakes/discord';
import { FakeTelegram, type FakeUser as TelegramUser } from '../fakes/telegram';
import { AppProcess, BUILT_MAIN } from '../support/app-process';
import { createRedisPrefix, createTestDatabase, type TestDatabase } from '../support/test-database';
import { TEST_REDIS_URL } from '../support/test-env';
import { waitFor } from '../support/wait-for';
import {
  expectHttp200Throughout,
  expectPlatformsDegradedDuringStorm,
  platformsOk,
  sampleHealth,
  summarizeHealth,
  type HealthSample,
} from './chaos-health';

const STORM_MS = Number(process.env.CHAOS_STORM_SECONDS ?? 60) * 1_000;
/**
 * /health counts the last minute's platform calls (CallWindow): after the storm it can take the
 * whole minute to read 'ok' again, so healing waits that minute and half of one more.
 */
const HEAL_MS = Number(process.env.CHAOS_HEAL_SECONDS ?? 90) * 1_000;
/** Boot, calm warm-up, storm, healing: within jest's limit for this one test. */
const TEST_TIMEOUT_MS = 60_000 + STORM_MS + HEAL_MS;

const ADMIN_TOKEN = 'chaos-admin-token-0123456789abcdef';
const SESSION_SECRET = 'chaos-session-secret-0123456789abcdef0123456789';
/** Between two health polls, and between two rounds of player traffic. */
const POLL_MS = 250;
const TRAFFIC_MS = 400;

const ann: TelegramUser = { id: 9101, first_name: 'Ann', language_code: 'en' };
const ben: TelegramUser = { id: 9102, first_name: 'Ben', language_code: 'ru' };
const cid: TelegramUser = { id: 9103, first_name: 'Cid', language_code: 'en' };
const TELEGRAM_COMMANDS = ['/profile', '/daily', '/top', '/link'];
const DISCORD_COMMANDS = ['profile', 'sync', 'top', 'link'];

describe('chaos: Discord and Telegram fail for a minute, the process does not', () => {
  let discord: FakeDiscord;
  let telegram: FakeTelegram;
  let database: TestDatabase;
  let redis: ReturnType<typeof createRedisPrefix>;
  let pool: Pool;
  let app: AppProcess;
  /** Discord-only players (never linked to Telegram). */
  let carolId: string;
  let daveId: string;

  beforeAll(async () => {
    if (!existsSync(BUILT_MAIN)) {
      throw new Error(
        `${BUILT_MAIN} is missing: the chaos test runs the built app. Run npm run build ` +
          '(npm test builds first when the sources are newer than dist/).',
      );
    }
    [discord, telegram] = await Promise.all([FakeDiscord.start(), FakeTelegram.start()]);
    // Two more Discord-only members, in the guild before the bot connects.
    carolId = discord.memberJoin(discord.createUser('carol')).id;
    daveId = discord.memberJoin(discord.createUser('dave')).id;
    database = await createTestDatabase();
    redis = createRedisPrefix();
    pool = new Pool({ connectionString: database.url, max: 2 });
    pool.on('error', () => undefined); // an idle checker connection dropped: the pool reconnects
    // Rank 2 -> Rank I, 3 -> Rank II, 4 -> Rank III: admin adjustments across 1000 XP move roles.
    const { roles } = discord.guild;
    for (const [rankId, roleId] of [
      [2, roles.rank1],
      [3, roles.rank2],
      [4, roles.rank3],
    ] as const) {
      await pool.query(`UPDATE rank_role_mappings SET discord_role_id = $1 WHERE rank_id = $2`, [
        roleId,
        rankId,
      ]);
    }
    app = new AppProcess('chaos app', {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATABASE_URL: database.url,
      DATABASE_POOL_SIZE: '8',
      MIGRATIONS_RUN: 'false',
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: redis.prefix,
      ADMIN_TOKEN,
      SESSION_SECRET,
      APP_ROLES: 'api,worker,scheduler,telegram,discord',
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      TELEGRAM_POLL_TIMEOUT_SECONDS: '5',
      TELEGRAM_SEND_PER_CHAT_PER_SECOND: '50',
      DISCORD_BOT_TOKEN: discord.token,
      DISCORD_GUILD_ID: discord.guild.id,
      DISCORD_API_BASE: discord.apiBase,
      // Retries close together, and never given up on, so healing fits in the test.
      SYNC_BACKOFF_BASE_MS: '200',
      SYNC_BACKOFF_MAX_MS: '2000',
      SYNC_MAX_ATTEMPTS: '100',
      SYNC_LEASE_MS: '10000',
      SYNC_RELAY_INTERVAL_MS: '500',
    });
    await app.start();
    await waitFor(
      () => discord.connectedSessions() > 0 && discord.commands(discord.guild.id).length > 0,
      { timeoutMs: 30_000, what: 'the Discord bot to connect and register its commands' },
    );
    await waitFor(() => telegram.calls('getUpdates').length > 0, {
      timeoutMs: 30_000,
      what: 'the Telegram bot to poll',
    });
  }, 150_000);

  afterAll(async () => {
    discord?.endInteractionStorm();
    telegram?.endStorm();
    await app?.stop();
    await Promise.all([discord?.stop(), telegram?.stop()]);
    await pool?.end();
    await database?.drop();
    await redis?.cleanup();
  });

  /** Throws, naming how it ended, once the app's process is gone or replaced. */
  const exitMessage = (pid: number): string => {
    const exit = app.exit;
    return (
      `the app process ${pid} exited` +
      (exit ? ` (code ${exit.code}, signal ${exit.signal})` : '') +
      ': one platform error took down the API, the worker, the scheduler and both bots'
    );
  };

  const expectSameProcess = (pid: number): void => {
    if (app.pid !== pid) throw new Error(exitMessage(pid));
  };

  /**
   * The failure to report: the process's exit when it died (a request to it may fail a moment
   * before its exit event arrives), the error itself otherwise.
   */
  const rootCause = async (pid: number | undefined, error: unknown): Promise<string> => {
    const message = error instanceof Error ? error.message : String(error);
    if (pid === undefined) return message;
    const deadline = Date.now() + 2_000;
    while (app.pid === pid && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    return app.pid === pid || message.startsWith('the app process')
      ? message
      : `${exitMessage(pid)}\n(first seen as: ${message})`;
  };

  const telegramSays = async (user: TelegramUser, text: string, match: RegExp) => {
    const before = telegram.messages(user.id).length;
    telegram.sendText(user, text);
    return waitFor(
      () =>
        telegram
          .messages(user.id)
          .slice(before)
          .find((message) => match.test(message.text)),
      { timeoutMs: HEAL_MS, what: `a Telegram answer ${match} to ${text} from ${user.id}` },
    );
  };

  const discordCommand = (
    userId: string,
    name: string,
    options?: Record<string, string>,
  ): InteractionHandle =>
    discord.interaction({ kind: 'command', name, userId, ...(options ? { options } : {}) });

  /** What the member sees: text, embed titles, and attached files (the rank card) by name. */
  const answerOf = async (handle: InteractionHandle): Promise<string> => {
    const message = await handle.waitForResponse(HEAL_MS);
    const files = discord
      .uploads()
      .filter((upload) => upload.path.includes(`/${handle.token}/`))
      .map((upload) => upload.name);
    return [
      message.content,
      ...(message.embeds ?? []).map((embed) => embed.title ?? ''),
      ...files,
    ].join(' ');
  };

  /** Telegram /link issues a code; Discord /link code:<it> joins the two accounts. */
  const link = async (user: TelegramUser, discordUserId: string): Promise<void> => {
    await telegramSays(user, '/start', /./);
    const issued = await telegramSays(user, '/link', /\/link [A-Z0-9]{4}-[A-Z0-9]{4}/);
    const code = /\/link ([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(issued.text)![1];
    await answerOf(discordCommand(discordUserId, 'link', { code }));
    await waitFor(
      async () => {
        const { rows } = await pool.query<{ accounts: string }>(
          `SELECT count(DISTINCT account_id) AS accounts FROM identities
            WHERE (platform = 'telegram' AND external_id = $1)
               OR (platform = 'discord' AND external_id = $2)`,
          [String(user.id), discordUserId],
        );
        return Number(rows[0]?.accounts) === 1;
      },
      { timeoutMs: 10_000, what: `${user.first_name}'s accounts to be linked` },
    );
  };

  const discordAccounts = async (): Promise<string[]> => {
    const { rows } = await pool.query<{ account_id: string }>(
      `SELECT account_id FROM identities WHERE platform = 'discord' ORDER BY account_id`,
    );
    return rows.map((row) => String(row.account_id));
  };

  /** An admin XP adjustment over REST; must be answered (it touches no platform). */
  const adjust = async (accountId: string, delta: number, key: string): Promise<void> => {
    const response = await fetch(`${app.url}/admin/accounts/${accountId}/adjustments`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${ADMIN_TOKEN}`,
        'content-type': 'application/json',
        'idempotency-key': key,
      },
      body: JSON.stringify({ currency: 'xp', delta, reason: 'chaos test' }),
      signal: AbortSignal.timeout(10_000),
    });
    if (response.status !== 200) {
      throw new Error(`adjustment ${key} answered ${response.status}: ${await response.text()}`);
    }
  };

  /** sync_events by status, e.g. `{ completed: 40, pending: 2 }`. */
  const outboxByStatus = async (): Promise<Record<string, number>> => {
    const { rows } = await pool.query<{ status: string; n: string }>(
      `SELECT status, count(*) AS n FROM sync_events GROUP BY status`,
    );
    return Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]));
  };

  /** No sync_events row pending or processing, and none failed (failing at once if one is). */
  const everyOutboxEventCompletes = async (): Promise<void> => {
    const outcome = await waitFor(
      async () => {
        const byStatus = await outboxByStatus();
        if ((byStatus.failed ?? 0) > 0) {
          const { rows } = await pool.query(
            `SELECT id, type, attempts, last_error FROM sync_events WHERE status = 'failed' LIMIT 5`,
          );
          return { failed: rows as unknown[] };
        }
        const open = (byStatus.pending ?? 0) + (byStatus.processing ?? 0);
        return open === 0 ? { failed: [] } : undefined;
      },
      { timeoutMs: HEAL_MS, intervalMs: 500, what: 'every outbox event to complete' },
    );
    if (outcome.failed.length > 0)
      throw new Error(`outbox events failed: ${JSON.stringify(outcome.failed)}`);
  };

  /** A fresh command on each bot gets its answer. */
  const bothBotsAnswer = async (discordUserId: string): Promise<void> => {
    expect((await telegramSays(ann, '/profile', /Coins: /)).text).toContain('XP: ');
    expect(await answerOf(discordCommand(discordUserId, 'profile'))).not.toBe('');
  };

  /** The monitor's latest /health sample reports both platforms 'ok'. */
  const healthReportsPlatformsOk = (samples: HealthSample[]): Promise<unknown> =>
    waitFor(
      () => {
        const last = samples.at(-1);
        return last !== undefined && platformsOk(last);
      },
      {
        timeoutMs: HEAL_MS,
        intervalMs: POLL_MS,
        what: "/health to report discord and telegram 'ok' after the storm",
      },
    );

  /** Polls /health and the pid until stopped; keeps every sample. */
  const startMonitor = (pid: number, stormStartedAt: number) => {
    const samples: HealthSample[] = [];
    let running = true;
    const done = (async () => {
      while (running) {
        expectSameProcess(pid);
        samples.push(await sampleHealth(app.url, Date.now() - stormStartedAt));
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    })();
    done.catch(() => undefined); // reported through `alive`
    return {
      samples,
      /** `work`, unless the process goes first: then the exit is what fails the test. */
      alive: <T>(work: Promise<T>): Promise<T> => Promise.race([work, done.then(() => work)]),
      stop: async () => {
        running = false;
        await done;
      },
    };
  };

  it(
    'keeps one process alive, /health 200 and degraded, then completes every event and answers',
    async () => {
      let monitor: ReturnType<typeof startMonitor> | undefined;
      const pid = app.pid;
      try {
        if (pid === undefined) throw new Error('the app is not running');
        // Calm first: two players link their accounts, two Discord-only players get accounts.
        const { users } = discord.guild;
        await link(ann, users.alice.id);
        await link(ben, users.bob.id);
        for (const userId of [carolId, daveId]) await answerOf(discordCommand(userId, 'profile'));
        const discordPlayers = [users.alice.id, users.bob.id, carolId, daveId];
        const accounts = await discordAccounts();
        expect(accounts).toHaveLength(4);

        // The storm.
        discord.beginInteractionStorm({ unknownInteraction: 2, serverError: 1, hang: 1 });
        telegram.beginStorm(
          { serverError: 2, tooManyRequests: 1, hang: 1 },
          { retryAfterSeconds: 1 },
        );
        const stormStartedAt = Date.now();
        monitor = startMonitor(pid, stormStartedAt);
        const traffic = (async () => {
          for (let round = 0; Date.now() - stormStartedAt < STORM_MS; round++) {
            expectSameProcess(pid);
            const tgUser = [ann, ben, cid][round % 3]!;
            telegram.sendText(tgUser, TELEGRAM_COMMANDS[round % TELEGRAM_COMMANDS.length]!);
            discordCommand(
              discordPlayers[round % discordPlayers.length]!,
              DISCORD_COMMANDS[round % DISCORD_COMMANDS.length]!,
            );
            if (round % 2 === 0) {
              // Up and down across rank thresholds: a role change per adjustment.
              const account = accounts[(round / 2) % accounts.length]!;
              const up = Math.floor(round / 2 / accounts.length) % 2 === 0;
              await adjust(account, up ? 1_500 : -1_500, `chaos-${round}`);
            }
            await new Promise((resolve) => setTimeout(resolve, TRAFFIC_MS));
          }
        })();
        await monitor.alive(traffic);
        const { alive, samples } = monitor;
        const stormSamples = [...samples];

        // The storm hit every kind of bad answer on both platforms.
        const hits = { discord: discord.interactionStormHits(), telegram: telegram.stormHits() };
        if ([hits.discord, hits.telegram].some((h) => Object.values(h).some((n) => n === 0)))
          throw new Error(`the storm missed a kind of bad answer: ${JSON.stringify(hits)}`);

        // Healing.
        discord.endInteractionStorm();
        telegram.endStorm();
        // Events first, then fresh commands (a late notification is never taken for an
        // answer); /health may take its error-rate window to turn 'ok' meanwhile.
        await alive(
          Promise.all([
            everyOutboxEventCompletes().then(() => bothBotsAnswer(users.alice.id)),
            healthReportsPlatformsOk(samples),
          ]),
        );
        await monitor.stop();
        expectSameProcess(pid);
        // The outbox did carry role changes while the storm blew.
        expect(
          discord.roleCalls().filter((call) => call.at >= stormStartedAt).length,
        ).toBeGreaterThan(0);

        expectHttp200Throughout(samples);
        expectPlatformsDegradedDuringStorm(stormSamples);
      } catch (error) {
        await monitor?.stop().catch(() => undefined);
        const message = await rootCause(pid, error);
        throw new Error(
          `${message}\n${summarizeHealth(monitor?.samples ?? [])}\n` +
            `--- the app's stdout/stderr (tail) ---\n${app.outputTail}`,
          {
            cause: error,
          },
        );
      }
    },
    TEST_TIMEOUT_MS,
  );
});
