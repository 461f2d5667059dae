import { Injectable, Logger } from '@nestjs/common';
import { REST, Routes } from 'discord.js';
import { Clock } from '@ttfd/clock';
import { AppConfig } from '@ttfd/config';

/** What Discord says about some role ids of the community's guild. */
export type RoleCheck =
  | { kind: 'checked'; missing: string[] }
  /** Discord is not configured here, or did not answer: the ids could not be checked. */
  | { kind: 'unchecked'; reason: string };

const CACHE_MS = 60_000;

/**
 * The guild's role ids, read with `GET /guilds/{guild}/roles` over REST (any process with the
 * bot token can: no gateway session needed) and cached for 60 s, so an operator mapping twenty
 * ranks costs one call. A short timeout and no retries: an admin request must not hang on an
 * unreachable Discord; the caller saves with a warning instead.
 */
@Injectable()
export class DiscordGuildRoles {
  private readonly logger = new Logger(DiscordGuildRoles.name);
  private readonly rest: REST | null;
  private cached: { ids: ReadonlySet<string>; at: number } | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    const discord = config.discord;
    this.rest = discord
      ? new REST({
          timeout: 5_000,
          retries: 0,
          ...(discord.apiBase ? { api: discord.apiBase } : {}),
        }).setToken(discord.token)
      : null;
  }

  async check(roleIds: string[]): Promise<RoleCheck> {
    if (roleIds.length === 0) return { kind: 'checked', missing: [] };
    const discord = this.config.discord;
    if (!this.rest || !discord) {
      return { kind: 'unchecked', reason: 'Discord is not configured (DISCORD_BOT_TOKEN)' };
    }
    const now = this.clock.nowMs();
    if (!this.cached || now - this.cached.at >= CACHE_MS) {
      try {
        const roles = (await this.rest.get(Routes.guildRoles(discord.guildId))) as { id: string }[];
        this.cached = { ids: new Set(roles.map((role) => role.id)), at: now };
      } catch (error) {
        const reason = `Discord did not answer GET /guilds/${discord.guildId}/roles: ${(error as Error).message}`;
        this.logger.warn(`${reason}; role ids saved unchecked`);
        return { kind: 'unchecked', reason };
      }
    }
    const known = this.cached.ids;
    return { kind: 'checked', missing: roleIds.filter((id) => !known.has(id)) };
  }
}
