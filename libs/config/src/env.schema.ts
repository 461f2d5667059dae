import { z } from 'zod';
import { APP_ROLE_NAMES, AppRole, isAppRole } from './app-roles';

const SNOWFLAKE = /^\d{17,20}$/;

/** Discord's limit on a bot's REST requests across all routes (interaction answers aside). */
const DISCORD_GLOBAL_REQUESTS_PER_SECOND = 50;

const emptyToUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const optionalString = z.preprocess(emptyToUndefined, z.string().optional());

const integer = (min: number, max: number, fallback: number) =>
  z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ invalid_type_error: 'must be a whole number' })
      .int('must be a whole number')
      .min(min, `must be at least ${min}`)
      .max(max, `must be at most ${max}`)
      .default(fallback),
  );

const bool = (fallback: boolean) =>
  z.preprocess(
    emptyToUndefined,
    z
      .enum(['true', 'false', '1', '0'], {
        errorMap: () => ({ message: 'must be true or false' }),
      })
      .default(fallback ? 'true' : 'false')
      .transform((value) => value === 'true' || value === '1'),
  );

const csv = (item: z.ZodString, itemRule: string) =>
  z.preprocess(
    emptyToUndefined,
    z
      .string()
      .default('')
      .transform((value) =>
        value
          .split(',')
          .map((part) => part.trim())
          .filter(Boolean),
      )
      .refine((items) => items.every((part) => item.safeParse(part).success), {
        message: `must be a comma-separated list of ${itemRule}`,
      }),
  );

const url = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
  );

const timeZone = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be an IANA time zone such as Europe/Moscow' },
);

/**
 * Every environment variable the app reads, with its rule and default.
 * Names match ARCHITECTURE.md's Interfaces table; the tuning knobs below it exist so that
 * tests and operators can shorten cooldowns and intervals without touching code.
 */
export const envSchema = z
  .object({
    NODE_ENV: z.preprocess(
      emptyToUndefined,
      z.enum(['development', 'production', 'test']).default('development'),
    ),
    PORT: integer(0, 65535, 3000),
    HOST: z.preprocess(emptyToUndefined, z.string().default('0.0.0.0')),
    DATABASE_URL: z.preprocess(emptyToUndefined, url(['postgres:', 'postgresql:']).optional()),
    DATA_DIR: z.preprocess(emptyToUndefined, z.string().default('./data')),
    DATABASE_POOL_SIZE: integer(1, 200, 20),
    DATABASE_ACQUIRE_TIMEOUT_MS: integer(100, 600_000, 10_000),
    MIGRATIONS_RUN: bool(true),
    REDIS_URL: z.preprocess(
      emptyToUndefined,
      url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
    ),
    QUEUE_PREFIX: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^[A-Za-z0-9:_-]+$/, 'must contain only letters, digits, ":", "_" and "-"')
        .default('ttfd'),
    ),
    APP_ROLES: optionalString,
    ADMIN_TOKEN: z.preprocess(
      emptyToUndefined,
      z.string().min(16, 'must be at least 16 characters').optional(),
    ),
    SESSION_SECRET: z.preprocess(
      emptyToUndefined,
      z.string().min(32, 'must be at least 32 characters').optional(),
    ),
    COMMUNITY_TIMEZONE: z.preprocess(emptyToUndefined, timeZone.default('Europe/Moscow')),
    LOG_LEVEL: z.preprocess(
      emptyToUndefined,
      z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    ),
    SHUTDOWN_GRACE_MS: integer(0, 600_000, 10_000),
    // One Telegram or Discord API call (one attempt) gives up after this long: a hung platform
    // never holds the paced sender, a command or a sync worker for minutes.
    PLATFORM_CALL_TIMEOUT_MS: integer(500, 10_000, 8_000),

    TELEGRAM_BOT_TOKEN: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^\d+:[A-Za-z0-9_-]+$/, 'must look like 123456:ABC-DEF (from @BotFather)')
        .optional(),
    ),
    TELEGRAM_API_ROOT: z.preprocess(
      emptyToUndefined,
      url(['http:', 'https:']).default('https://api.telegram.org'),
    ),
    TELEGRAM_WEBHOOK_URL: z.preprocess(emptyToUndefined, url(['https:', 'http:']).optional()),
    TELEGRAM_WEBHOOK_SECRET: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^[A-Za-z0-9_-]{16,256}$/, 'must be 16-256 characters of A-Z, a-z, 0-9, _ and -')
        .optional(),
    ),
    TELEGRAM_ADMIN_IDS: csv(z.string().regex(/^\d{1,20}$/), 'numeric Telegram user ids'),

    // libs/telegram: transport tuning. Tests shorten the long poll and raise the per-chat rate;
    // production keeps Telegram's own limits (about 1 message/s per chat, 30/s overall).
    TELEGRAM_POLL_TIMEOUT_SECONDS: integer(0, 50, 30),
    TELEGRAM_SEND_PER_CHAT_PER_SECOND: integer(1, 1_000, 1),
    TELEGRAM_SEND_PER_SECOND: integer(1, 1_000, 30),
    TELEGRAM_SEND_PER_GROUP_PER_MINUTE: integer(1, 1_000, 20),
    TELEGRAM_UPDATE_DEDUPE_SECONDS: integer(60, 604_800, 86_400),
    // The per-user command limit (shared by webhook replicas through Redis): more than
    // TELEGRAM_FLOOD_LIMIT updates within TELEGRAM_FLOOD_WINDOW_SECONDS gets one "slow down",
    // then the user's updates are ignored for TELEGRAM_FLOOD_MUTE_SECONDS.
    TELEGRAM_FLOOD_LIMIT: integer(1, 10_000, 20),
    TELEGRAM_FLOOD_WINDOW_SECONDS: integer(1, 3_600, 10),
    TELEGRAM_FLOOD_MUTE_SECONDS: integer(1, 86_400, 60),

    DISCORD_BOT_TOKEN: optionalString,
    DISCORD_GUILD_ID: z.preprocess(
      emptyToUndefined,
      z.string().regex(SNOWFLAKE, 'must be a Discord snowflake (17-20 digits)').optional(),
    ),
    DISCORD_API_BASE: z.preprocess(emptyToUndefined, url(['http:', 'https:']).optional()),
    // Where members' avatars are downloaded from for rank cards (a proxy, a test fake).
    DISCORD_CDN_BASE: z.preprocess(
      emptyToUndefined,
      url(['http:', 'https:']).default('https://cdn.discordapp.com'),
    ),
    DISCORD_NO_XP_CHANNEL_IDS: csv(z.string().regex(SNOWFLAKE), 'Discord snowflakes'),

    // libs/discord: activity XP. Amounts and limits are community tuning, not code; tests
    // shorten nothing here (they move the injected clock), operators may.
    DISCORD_MESSAGE_XP_MIN: integer(1, 10_000, 15),
    DISCORD_MESSAGE_XP_MAX: integer(1, 10_000, 25),
    DISCORD_MESSAGE_COOLDOWN_MS: integer(0, 86_400_000, 60_000),
    /** Messages with fewer non-space characters earn nothing (anti-spam). */
    DISCORD_MESSAGE_MIN_CHARS: integer(0, 2_000, 3),
    DISCORD_VOICE_XP_PER_MINUTE: integer(1, 10_000, 10),
    /** Open voice sessions are checkpointed at least this often (at most a minute, flow 7). */
    DISCORD_VOICE_CHECKPOINT_MS: integer(1_000, 60_000, 30_000),
    /** Slash commands and button presses per member per minute. */
    DISCORD_COMMANDS_PER_MINUTE: integer(1, 10_000, 20),
    /** `/sync` at most once per this many ms per member (it spends the bot's REST budget). */
    DISCORD_SYNC_COOLDOWN_MS: integer(0, 3_600_000, 30_000),
    /** Shares of Discord's 50 requests/s global limit: role changes first, then DMs. */
    DISCORD_ROLE_REQUESTS_PER_SECOND: integer(1, 50, 34),
    DISCORD_DM_REQUESTS_PER_SECOND: integer(1, 50, 16),
    /**
     * Percent of each shared window (the role share, the member-role bucket) a bulk role call
     * may fill; the rest is kept for live ones (a rank-up during a mass change).
     */
    DISCORD_BULK_PERCENT: integer(10, 100, 80),
    /**
     * Discord's member-role bucket per guild (PUT / DELETE of a member's role), kept across
     * processes by the shared limiter: 0 leaves it to discord.js's per-route handling.
     */
    DISCORD_MEMBER_ROLE_BUCKET_LIMIT: integer(0, 1_000, 0),
    DISCORD_MEMBER_ROLE_BUCKET_WINDOW_MS: integer(100, 600_000, 10_000),
    /** A role refused with 403 this many times in a row is paused (no call) for the pause. */
    DISCORD_ROLE_PAUSE_AFTER_403S: integer(1, 100, 3),
    DISCORD_ROLE_PAUSE_MS: integer(1_000, 86_400_000, 600_000),

    ALERT_TELEGRAM_CHAT_ID: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^-?\d{1,20}$/, 'must be a numeric Telegram chat id')
        .optional(),
    ),
    ALERT_DISCORD_CHANNEL_ID: z.preprocess(
      emptyToUndefined,
      z.string().regex(SNOWFLAKE, 'must be a Discord snowflake (17-20 digits)').optional(),
    ),

    // libs/linking and libs/sync: link codes, outbox lanes, sweep, reconcile, cleanup.
    LINK_CODE_TTL_SECONDS: integer(30, 86_400, 600),
    LINK_MAX_WRONG_ATTEMPTS: integer(1, 1_000, 5),
    LINK_ATTEMPT_WINDOW_SECONDS: integer(1, 86_400, 600),
    LINK_CODE_PEPPER: z.preprocess(
      emptyToUndefined,
      z.string().min(16, 'must be at least 16 characters').optional(),
    ),
    SYNC_MAX_ATTEMPTS: integer(1, 100, 8),
    /** How long after its first attempt a Discord DM may still be retried (Discord's nonce window). */
    SYNC_DM_RETRY_WINDOW_MS: integer(1_000, 600_000, 120_000),
    SYNC_LEASE_MS: integer(1_000, 3_600_000, 30_000),
    SYNC_BACKOFF_BASE_MS: integer(0, 3_600_000, 1_000),
    SYNC_BACKOFF_MAX_MS: integer(0, 86_400_000, 300_000),
    SYNC_BACKOFF_JITTER: bool(true),
    SYNC_JOB_BATCH_SIZE: integer(1, 1_000, 50),
    SYNC_DISPATCH_LINGER_MS: integer(0, 1_000, 2),
    /** How long a claim loop that drained its lane waits for this process's next commit. */
    SYNC_CLAIM_LINGER_MS: integer(0, 1_000, 5),
    SYNC_WORKER_CONCURRENCY: integer(1, 1_000, 16),
    /** Claim loops per outbox lane per worker process (fewer loops claim bigger batches). */
    SYNC_LANE_CLAIMERS: integer(1, 100, 4),
    SYNC_MEMBER_LOCK_WAIT_MS: integer(0, 600_000, 15_000),
    OUTBOX_ENQUEUE_TIMEOUT_MS: integer(10, 60_000, 1_000),
    SYNC_RELAY_INTERVAL_MS: integer(50, 600_000, 1_000),
    SYNC_STATS_INTERVAL_MS: integer(1_000, 3_600_000, 60_000),
    SYNC_STATS_WINDOW_MINUTES: integer(1, 10_080, 15),
    RECONCILE_CRON: z.preprocess(emptyToUndefined, z.string().default('*/15 * * * *')),
    RECONCILE_BATCH_SIZE: integer(1, 100_000, 500),
    RECONCILE_MEMBER_PAGE_SIZE: integer(1, 1_000, 1_000),
    RECONCILE_MAX_REMOVALS: integer(0, 1_000_000, 100),
    /** Accounts a scheduled (incremental) run also checks from the rolling full pass's cursor. */
    RECONCILE_ROLLING_ACCOUNTS: integer(0, 10_000_000, 5_000),
    CLEANUP_CRON: z.preprocess(emptyToUndefined, z.string().default('30 3 * * *')),
    CLEANUP_BATCH_SIZE: integer(1, 100_000, 1_000),
    CLEANUP_EVENT_RETENTION_DAYS: integer(1, 3_650, 30),
    CLEANUP_LINK_ATTEMPT_RETENTION_HOURS: integer(1, 87_600, 24),
    CLEANUP_GAME_IDLE_MINUTES: integer(1, 525_600, 60),
    CLEANUP_GAME_RETENTION_DAYS: integer(1, 3_650, 30),
    CLEANUP_REPORT_RETENTION_DAYS: integer(1, 3_650, 90),
    CLEANUP_VOICE_SESSION_RETENTION_DAYS: integer(1, 3_650, 30),

    // libs/economy/xp-rules: how often each process compares its cached XP rules' version with
    // the database's (a rule changed over the API is in effect everywhere within this time).
    XP_RULES_REFRESH_MS: integer(100, 5_000, 2_000),
    // How often pending rank-up announcements are sent, one batched message per target each
    // time (>= 3 s keeps a Telegram group within its 20 messages per minute).
    XP_ANNOUNCE_INTERVAL_MS: integer(3_000, 600_000, 5_000),

    // libs/economy: award bounds and seasons.
    AWARD_MAX_DELTA: integer(1, 1_000_000_000, 100_000),
    /** The bound of system awards (season prizes); unset: AWARD_MAX_DELTA. */
    SYSTEM_AWARD_MAX_DELTA: z.preprocess(
      emptyToUndefined,
      z.coerce
        .number({ invalid_type_error: 'must be a whole number' })
        .int('must be a whole number')
        .min(1, 'must be at least 1')
        .max(1_000_000_000, 'must be at most 1000000000')
        .optional(),
    ),
    SEASON_CRON: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .refine((value) => value.trim().split(/\s+/).length >= 5, {
          message: 'must be a cron expression such as "0 0 1 * *"',
        })
        .default('0 0 1 * *'),
    ),
    SEASON_PRIZES: csv(z.string().regex(/^\d{1,9}$/), 'coin amounts, first place first').default(
      '500,300,100',
    ),

    // libs/api and libs/observability: GraphQL limits, throttling, player sessions, alerts.
    // Generous defaults; tests shorten the alert interval and quiet period.
    GRAPHQL_MAX_DEPTH: integer(2, 50, 8),
    GRAPHQL_MAX_COMPLEXITY: integer(10, 100_000, 1_000),
    GRAPHQL_MAX_ALIASES: integer(0, 10_000, 30),
    GRAPHQL_MAX_ROOT_FIELDS: integer(1, 10_000, 20),
    GRAPHQL_MAX_DIRECTIVES: integer(0, 10_000, 50),
    /** Lexical tokens of one document (getIntrospectionQuery() has about 190). */
    GRAPHQL_MAX_TOKENS: integer(200, 1_000_000, 5_000),
    /** Bytes of one POST /graphql body. */
    GRAPHQL_MAX_BODY_BYTES: integer(1_024, 10_485_760, 65_536),
    /** GraphQL requests per GRAPHQL_RATE_WINDOW_MS per caller (player session, else address). */
    GRAPHQL_RATE_LIMIT: integer(1, 1_000_000, 600),
    GRAPHQL_RATE_WINDOW_MS: integer(1_000, 3_600_000, 60_000),
    /** Player mutations (link codes, unlink) per PLAYER_MUTATION_WINDOW_MS per player. */
    PLAYER_MUTATION_LIMIT: integer(1, 1_000_000, 10),
    PLAYER_MUTATION_WINDOW_MS: integer(1_000, 3_600_000, 60_000),
    /** Requests per THROTTLE_TTL_MS per client on public GraphQL and player login. */
    THROTTLE_LIMIT: integer(1, 1_000_000, 300),
    THROTTLE_TTL_MS: integer(1_000, 3_600_000, 60_000),
    SESSION_TTL_SECONDS: integer(60, 2_592_000, 604_800),
    ALERT_CHECK_INTERVAL_MS: integer(50, 3_600_000, 60_000),
    ALERT_QUIET_PERIOD_MS: integer(0, 86_400_000, 1_800_000),
    ALERT_FAILED_EVENTS_THRESHOLD: integer(1, 1_000_000, 10),
    ALERT_OLDEST_PENDING_MS: integer(1_000, 86_400_000, 600_000),
    ALERT_DRIFT_THRESHOLD: integer(1, 1_000_000, 50),
  })
  .superRefine((env, ctx) => {
    const roles = parseRoles(env.APP_ROLES);
    if (typeof roles === 'string') {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['APP_ROLES'], message: roles });
      return;
    }
    if (env.APP_ROLES && roles.includes('telegram') && !env.TELEGRAM_BOT_TOKEN) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['TELEGRAM_BOT_TOKEN'],
        message: 'is required when APP_ROLES includes telegram',
      });
    }
    if (env.APP_ROLES && roles.includes('discord') && !env.DISCORD_BOT_TOKEN) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['DISCORD_BOT_TOKEN'],
        message: 'is required when APP_ROLES includes discord',
      });
    }
    if (env.DISCORD_BOT_TOKEN && !env.DISCORD_GUILD_ID) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['DISCORD_GUILD_ID'],
        message: 'is required when DISCORD_BOT_TOKEN is set (the community guild)',
      });
    }
    const discordShares = env.DISCORD_ROLE_REQUESTS_PER_SECOND + env.DISCORD_DM_REQUESTS_PER_SECOND;
    if (discordShares > DISCORD_GLOBAL_REQUESTS_PER_SECOND) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['DISCORD_DM_REQUESTS_PER_SECOND'],
        message: `plus DISCORD_ROLE_REQUESTS_PER_SECOND is ${discordShares}, above Discord's global limit of ${DISCORD_GLOBAL_REQUESTS_PER_SECOND} requests/s: lower one of them`,
      });
    }
    if (env.DISCORD_MESSAGE_XP_MIN > env.DISCORD_MESSAGE_XP_MAX) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['DISCORD_MESSAGE_XP_MAX'],
        message: 'must be at least DISCORD_MESSAGE_XP_MIN',
      });
    }
    // A prize above the award bound would fail every roll-over: the season would never close.
    const systemMax = env.SYSTEM_AWARD_MAX_DELTA ?? env.AWARD_MAX_DELTA;
    const bound =
      env.SYSTEM_AWARD_MAX_DELTA === undefined
        ? `AWARD_MAX_DELTA (${env.AWARD_MAX_DELTA}), the bound of system awards while SYSTEM_AWARD_MAX_DELTA is unset`
        : `SYSTEM_AWARD_MAX_DELTA (${systemMax}), the bound of system awards`;
    env.SEASON_PRIZES.forEach((prize, index) => {
      if (Number(prize) > systemMax) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['SEASON_PRIZES'],
          message: `pays ${prize} coins to place ${index + 1}, above ${bound}: lower the prize or raise SYSTEM_AWARD_MAX_DELTA`,
        });
      }
    });
    // In production a generated secret is a fault: a random ADMIN_TOKEN is printed to whoever
    // watches the terminal, a random SESSION_SECRET logs every player out at each restart.
    if (env.NODE_ENV === 'production') {
      for (const name of ['ADMIN_TOKEN', 'SESSION_SECRET'] as const) {
        if (!env[name]) {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: [name],
            message: 'is required when NODE_ENV is production (generate one: openssl rand -hex 32)',
          });
        }
      }
    }
    if (env.TELEGRAM_WEBHOOK_URL && !env.TELEGRAM_WEBHOOK_SECRET) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['TELEGRAM_WEBHOOK_SECRET'],
        message: 'is required when TELEGRAM_WEBHOOK_URL is set (every webhook request is checked)',
      });
    }
  });

export type RawEnv = z.infer<typeof envSchema>;

/**
 * APP_ROLES unset means "everything this configuration can run": the bots whose tokens are set
 * and the three headless roles. Naming a bot explicitly makes its token mandatory.
 */
export function parseRoles(value: string | undefined): AppRole[] | string {
  if (value === undefined) return [...APP_ROLE_NAMES];
  const names = value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  if (names.length === 0) return `must name at least one of ${APP_ROLE_NAMES.join(', ')}`;
  const unknown = names.filter((name) => !isAppRole(name));
  if (unknown.length > 0) {
    return `has unknown role "${unknown.join('", "')}"; allowed: ${APP_ROLE_NAMES.join(', ')}`;
  }
  return [...new Set(names)] as AppRole[];
}
