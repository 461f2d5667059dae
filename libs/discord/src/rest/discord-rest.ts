import { REST, type RESTOptions } from 'discord.js';
import type { Provider } from '@nestjs/common';
import { boundedRestOptions, PlatformCalls, watchRest } from '@ttfd/observability';
import { DiscordSettings } from '../discord-settings';

/**
 * The Discord REST client the ports use. In the bot process it is the logged-in client's own
 * (one rate-limit queue); a worker-only process makes one from the token: role changes and DMs
 * are plain REST calls and need no gateway session.
 */
export const DISCORD_REST = Symbol('DISCORD_REST');

/**
 * Discord allows a bot 50 requests per second in all. Role changes and DMs each get their own
 * client with its own share of that limit (DISCORD_ROLE_REQUESTS_PER_SECOND and
 * DISCORD_DM_REQUESTS_PER_SECOND, at most 50 together), so a member's role change never waits
 * in a queue behind other members' messages. Interaction answers are outside the global limit.
 */
export const DISCORD_ROLE_REST = Symbol('DISCORD_ROLE_REST');
export const DISCORD_DM_REST = Symbol('DISCORD_DM_REST');

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

/** A client from the token; `globalRequestsPerSecond`: its share of Discord's global limit. */
export function restClient(settings: DiscordSettings, globalRequestsPerSecond?: number): REST {
  return new REST({
    ...restOptions(settings),
    ...(globalRequestsPerSecond !== undefined ? { globalRequestsPerSecond } : {}),
  }).setToken(settings.token);
}

/** The role and DM clients, each with its share of the global limit, counted like the others. */
export function budgetedRestClients(settings: DiscordSettings): Provider[] {
  return [
    {
      provide: DISCORD_ROLE_REST,
      inject: [PlatformCalls],
      useFactory: (calls: PlatformCalls) =>
        watchRest(restClient(settings, settings.roleRequestsPerSecond), calls),
    },
    {
      provide: DISCORD_DM_REST,
      inject: [PlatformCalls],
      useFactory: (calls: PlatformCalls) =>
        watchRest(restClient(settings, settings.dmRequestsPerSecond), calls),
    },
  ];
}
