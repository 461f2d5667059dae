import { REST } from 'discord.js';
import { DiscordSettings } from './discord-settings';

/**
 * The Discord REST client the ports use. In the bot process it is the logged-in client's own
 * (one rate-limit queue); a worker-only process makes one from the token: role changes and DMs
 * are plain REST calls and need no gateway session.
 */
export const DISCORD_REST = Symbol('DISCORD_REST');

export function restClient(settings: DiscordSettings): REST {
  return new REST(settings.apiBase ? { api: settings.apiBase } : {}).setToken(settings.token);
}
