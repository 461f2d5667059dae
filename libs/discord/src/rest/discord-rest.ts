import { REST, type RESTOptions } from 'discord.js';
import { boundedRestOptions } from '@ttfd/observability';
import { DiscordSettings } from '../discord-settings';

/**
 * The Discord REST client the ports use. In the bot process it is the logged-in client's own
 * (one rate-limit queue); a worker-only process makes one from the token: role changes and DMs
 * are plain REST calls and need no gateway session.
 */
export const DISCORD_REST = Symbol('DISCORD_REST');

/**
 * Every REST client's options: the bounded limits of every Discord client of ours
 * (boundedRestOptions), and another server when DISCORD_API_BASE is set.
 */
export function restOptions(settings: DiscordSettings): Partial<RESTOptions> {
  return {
    ...(settings.apiBase ? { api: settings.apiBase } : {}),
    ...boundedRestOptions(settings.callTimeoutMs),
  };
}

export function restClient(settings: DiscordSettings): REST {
  return new REST(restOptions(settings)).setToken(settings.token);
}
