import { REST, type RESTOptions } from 'discord.js';
import { DiscordSettings } from '../discord-settings';

/**
 * The Discord REST client the ports use. In the bot process it is the logged-in client's own
 * (one rate-limit queue); a worker-only process makes one from the token: role changes and DMs
 * are plain REST calls and need no gateway session.
 */
export const DISCORD_REST = Symbol('DISCORD_REST');

/** Attempts after the first on a timeout or 5xx (discord.js retries those itself). */
const REST_RETRIES = 2;
/**
 * A rate-limit wait longer than this fails the call instead: a sync event is retried later
 * from the outbox, while a worker slot waiting a minute for one route helps nobody.
 */
const MAX_RATE_LIMIT_WAIT_MS = 15_000;

/**
 * Every REST client's limits, the bot's and a worker's alike: each attempt gives up after
 * PLATFORM_CALL_TIMEOUT_MS and a call makes at most 3 attempts (8 s each by default: 24 s),
 * so a hung Discord never holds a command or a worker for minutes.
 */
export function restOptions(settings: DiscordSettings): Partial<RESTOptions> {
  return {
    ...(settings.apiBase ? { api: settings.apiBase } : {}),
    timeout: settings.callTimeoutMs,
    retries: REST_RETRIES,
    rejectOnRateLimit: (info) => info.timeToReset > MAX_RATE_LIMIT_WAIT_MS,
  };
}

export function restClient(settings: DiscordSettings): REST {
  return new REST(restOptions(settings)).setToken(settings.token);
}
