import { AppConfig, TelegramConfig } from '@ttfd/config';

export const TELEGRAM_SETTINGS = Symbol('TELEGRAM_SETTINGS');

/** The path Telegram POSTs updates to in webhook mode (served by the Nest HTTP server). */
export const WEBHOOK_PATH = 'telegram/webhook';

/** Everything the bot needs from the validated config, in one place. */
export interface TelegramSettings extends TelegramConfig {
  pollTimeoutSeconds: number;
  sendPerChatPerSecond: number;
  sendPerSecond: number;
  sendPerGroupPerMinute: number;
  updateDedupeSeconds: number;
  /** One Bot API call's limit (PLATFORM_CALL_TIMEOUT_MS); getUpdates adds its long-poll time. */
  callTimeoutMs: number;
  /** The per-user command limit (see UserFloodGuard). */
  flood: { limit: number; windowSeconds: number; muteSeconds: number };
  /** How long shutdown waits for queued replies to leave. */
  shutdownGraceMs: number;
  /** The community's zone: "next claim at 00:00" is said in its time. */
  timeZone: string;
  /** Keys the callback-data MACs: SESSION_SECRET when set (stable), else the bot token. */
  callbackSecret: string;
}

export function telegramSettings(config: AppConfig): TelegramSettings {
  if (!config.telegram) throw new Error('telegramSettings: Telegram is not configured');
  const env = config.env;
  return {
    ...config.telegram,
    pollTimeoutSeconds: env.TELEGRAM_POLL_TIMEOUT_SECONDS,
    sendPerChatPerSecond: env.TELEGRAM_SEND_PER_CHAT_PER_SECOND,
    sendPerSecond: env.TELEGRAM_SEND_PER_SECOND,
    sendPerGroupPerMinute: env.TELEGRAM_SEND_PER_GROUP_PER_MINUTE,
    updateDedupeSeconds: env.TELEGRAM_UPDATE_DEDUPE_SECONDS,
    callTimeoutMs: env.PLATFORM_CALL_TIMEOUT_MS,
    flood: {
      limit: env.TELEGRAM_FLOOD_LIMIT,
      windowSeconds: env.TELEGRAM_FLOOD_WINDOW_SECONDS,
      muteSeconds: env.TELEGRAM_FLOOD_MUTE_SECONDS,
    },
    shutdownGraceMs: config.shutdownGraceMs,
    timeZone: config.communityTimeZone,
    // An unset SESSION_SECRET is random per start: buttons would die on every restart.
    callbackSecret: env.SESSION_SECRET ?? config.telegram.token,
  };
}
