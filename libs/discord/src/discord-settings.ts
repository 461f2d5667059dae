import { AppConfig } from '@ttfd/config';

/**
 * The Discord bot's settings, read once from the validated config so that nothing in this
 * library touches process.env or repeats a default.
 */
export class DiscordSettings {
  readonly token: string;
  readonly guildId: string;
  readonly apiBase?: string;
  /** Members' avatars for rank cards (DISCORD_CDN_BASE), without a trailing slash. */
  readonly cdnBase: string;
  readonly noXpChannelIds: ReadonlySet<string>;
  readonly messageXp: { min: number; max: number };
  readonly messageCooldownMs: number;
  readonly messageMinChars: number;
  readonly voiceXpPerMinute: number;
  readonly voiceCheckpointMs: number;
  /** One REST attempt's limit (PLATFORM_CALL_TIMEOUT_MS). */
  readonly callTimeoutMs: number;
  /** COMMUNITY_TIMEZONE: the zone every time shown to members is said in. */
  readonly timeZone: string;
  readonly commandsPerMinute: number;
  readonly syncCooldownMs: number;
  /** Shares of Discord's 50 requests/s: role changes, and direct messages (see discord-rest). */
  readonly roleRequestsPerSecond: number;
  readonly dmRequestsPerSecond: number;
  /** Share of each shared limiter window bulk role calls may fill (0..1). */
  readonly bulkShare: number;
  /** Discord's member-role bucket per guild, or null to leave it to discord.js. */
  readonly memberRoleBucket: { limit: number; windowMs: number } | null;
  /** A role refused with 403 this many times in a row pauses for `rolePauseMs`. */
  readonly rolePauseAfter403s: number;
  readonly rolePauseMs: number;

  constructor(config: AppConfig) {
    const discord = config.discord;
    if (!discord) throw new Error('DiscordSettings needs DISCORD_BOT_TOKEN and DISCORD_GUILD_ID');
    const env = config.env;
    this.token = discord.token;
    this.guildId = discord.guildId;
    this.apiBase = discord.apiBase;
    this.cdnBase = env.DISCORD_CDN_BASE.replace(/\/+$/, '');
    this.noXpChannelIds = new Set(discord.noXpChannelIds);
    this.messageXp = { min: env.DISCORD_MESSAGE_XP_MIN, max: env.DISCORD_MESSAGE_XP_MAX };
    this.messageCooldownMs = env.DISCORD_MESSAGE_COOLDOWN_MS;
    this.messageMinChars = env.DISCORD_MESSAGE_MIN_CHARS;
    this.voiceXpPerMinute = env.DISCORD_VOICE_XP_PER_MINUTE;
    this.voiceCheckpointMs = env.DISCORD_VOICE_CHECKPOINT_MS;
    this.callTimeoutMs = env.PLATFORM_CALL_TIMEOUT_MS;
    this.timeZone = config.communityTimeZone;
    this.commandsPerMinute = env.DISCORD_COMMANDS_PER_MINUTE;
    this.syncCooldownMs = env.DISCORD_SYNC_COOLDOWN_MS;
    this.roleRequestsPerSecond = env.DISCORD_ROLE_REQUESTS_PER_SECOND;
    this.dmRequestsPerSecond = env.DISCORD_DM_REQUESTS_PER_SECOND;
    this.bulkShare = env.DISCORD_BULK_PERCENT / 100;
    this.memberRoleBucket =
      env.DISCORD_MEMBER_ROLE_BUCKET_LIMIT > 0
        ? {
            limit: env.DISCORD_MEMBER_ROLE_BUCKET_LIMIT,
            windowMs: env.DISCORD_MEMBER_ROLE_BUCKET_WINDOW_MS,
          }
        : null;
    this.rolePauseAfter403s = env.DISCORD_ROLE_PAUSE_AFTER_403S;
    this.rolePauseMs = env.DISCORD_ROLE_PAUSE_MS;
  }
}
