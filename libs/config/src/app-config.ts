import { randomBytes } from 'node:crypto';
import { AppRole } from './app-roles';
import { envSchema, parseRoles, RawEnv } from './env.schema';

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

export interface TelegramConfig {
  token: string;
  apiRoot: string;
  webhookUrl?: string;
  webhookSecret?: string;
  adminIds: string[];
}

export interface DiscordConfig {
  token: string;
  guildId: string;
  apiBase?: string;
  noXpChannelIds: string[];
}

/** Typed, validated configuration. The only place in the app that knows about process.env. */
export class AppConfig {
  readonly nodeEnv: RawEnv['NODE_ENV'];
  readonly port: number;
  readonly host: string;
  readonly logLevel: RawEnv['LOG_LEVEL'];
  readonly shutdownGraceMs: number;
  readonly database: {
    url?: string;
    dataDir: string;
    poolSize: number;
    migrationsRun: boolean;
  };
  readonly redis: { url: string; prefix: string };
  readonly roles: ReadonlySet<AppRole>;
  readonly rolesExplicit: boolean;
  readonly adminToken: string;
  /** True when ADMIN_TOKEN was unset and a random one was made for this start. */
  readonly adminTokenGenerated: boolean;
  readonly sessionSecret: string;
  readonly communityTimeZone: string;
  readonly telegram?: TelegramConfig;
  readonly discord?: DiscordConfig;
  readonly alerts: { telegramChatId?: string; discordChannelId?: string };
  /** The largest amount a system award (a season prize) may move: SYSTEM_AWARD_MAX_DELTA. */
  readonly systemAwardMaxDelta: number;
  /** The validated variables, for libraries that add knobs of their own. */
  readonly env: RawEnv;

  constructor(env: RawEnv) {
    this.env = env;
    this.nodeEnv = env.NODE_ENV;
    this.port = env.PORT;
    this.host = env.HOST;
    this.logLevel = env.LOG_LEVEL;
    this.shutdownGraceMs = env.SHUTDOWN_GRACE_MS;
    this.database = {
      url: env.DATABASE_URL,
      dataDir: env.DATA_DIR,
      poolSize: env.DATABASE_POOL_SIZE,
      migrationsRun: env.MIGRATIONS_RUN,
    };
    this.redis = { url: env.REDIS_URL, prefix: env.QUEUE_PREFIX };
    this.communityTimeZone = env.COMMUNITY_TIMEZONE;
    this.systemAwardMaxDelta = env.SYSTEM_AWARD_MAX_DELTA ?? env.AWARD_MAX_DELTA;
    this.adminTokenGenerated = !env.ADMIN_TOKEN;
    this.adminToken = env.ADMIN_TOKEN ?? randomBytes(24).toString('base64url');
    this.sessionSecret = env.SESSION_SECRET ?? randomBytes(32).toString('base64url');

    if (env.TELEGRAM_BOT_TOKEN) {
      this.telegram = {
        token: env.TELEGRAM_BOT_TOKEN,
        apiRoot: env.TELEGRAM_API_ROOT,
        webhookUrl: env.TELEGRAM_WEBHOOK_URL,
        webhookSecret: env.TELEGRAM_WEBHOOK_SECRET,
        adminIds: env.TELEGRAM_ADMIN_IDS,
      };
    }
    if (env.DISCORD_BOT_TOKEN && env.DISCORD_GUILD_ID) {
      this.discord = {
        token: env.DISCORD_BOT_TOKEN,
        guildId: env.DISCORD_GUILD_ID,
        apiBase: env.DISCORD_API_BASE,
        noXpChannelIds: env.DISCORD_NO_XP_CHANNEL_IDS,
      };
    }
    this.alerts = {
      telegramChatId: env.ALERT_TELEGRAM_CHAT_ID,
      discordChannelId: env.ALERT_DISCORD_CHANNEL_ID,
    };

    this.rolesExplicit = env.APP_ROLES !== undefined;
    const roles = parseRoles(env.APP_ROLES) as AppRole[];
    // Unset APP_ROLES runs every role this configuration can: a bot without a token is off.
    this.roles = new Set(
      roles.filter(
        (role) =>
          this.rolesExplicit ||
          (role === 'telegram' ? !!this.telegram : role === 'discord' ? !!this.discord : true),
      ),
    );
  }

  hasRole(role: AppRole): boolean {
    return this.roles.has(role);
  }
}

/** Validates the environment once. Every problem is reported, each naming its variable. */
export function loadConfig(env: NodeJS.ProcessEnv | Record<string, string | undefined>): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const variable = issue.path.join('.') || 'environment';
      return `${variable} ${issue.message}`;
    });
    throw new ConfigValidationError(problems);
  }
  return new AppConfig(parsed.data);
}
