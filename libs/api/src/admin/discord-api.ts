import { Injectable } from '@nestjs/common';
import { REST } from 'discord.js';
import { AppConfig } from '@ttfd/config';

/**
 * The API role's own Discord REST client (any process with the bot token has one: no gateway
 * session needed), for the reads an admin or a page asks for: the guild's roles, a member's
 * avatar. A short timeout and no retries: a request must not hang on an unreachable Discord.
 * Null members when Discord is not configured here.
 */
@Injectable()
export class DiscordApi {
  readonly rest: REST | null;
  readonly guildId: string | null;
  /** DISCORD_CDN_BASE without a trailing slash. */
  readonly cdnBase: string;

  constructor(config: AppConfig) {
    const discord = config.discord;
    this.rest = discord
      ? new REST({
          timeout: 5_000,
          retries: 0,
          ...(discord.apiBase ? { api: discord.apiBase } : {}),
        }).setToken(discord.token)
      : null;
    this.guildId = discord?.guildId ?? null;
    this.cdnBase = config.env.DISCORD_CDN_BASE.replace(/\/+$/, '');
  }
}
