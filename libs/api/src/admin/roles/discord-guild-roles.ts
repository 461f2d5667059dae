import { Injectable, Logger } from '@nestjs/common';
import { REST, Routes } from 'discord.js';
import { Clock } from '@ttfd/clock';
import { GuildRoleCheck, RoleCheck } from '@ttfd/sync';
import { DiscordApi } from '../discord-api';

/** One role of the guild, as the role picker shows it. */
export interface GuildRole {
  id: string;
  name: string;
  /** `#rrggbb`, or null for Discord's default (no colour). */
  color: string | null;
  /** Higher is above; the bot can hand out only roles below its own highest role. */
  position: number;
  /** Managed by an integration (a bot's own role, a booster role): nobody can hand it out. */
  managed: boolean;
}

export type GuildRoleList =
  | {
      kind: 'listed';
      /** Highest first, as Discord's server settings list them; @everyone left out. */
      roles: GuildRole[];
      /** The position of the bot's highest role (null when the bot's member could not be read). */
      botTopPosition: number | null;
    }
  | { kind: 'unavailable'; reason: string };

const CACHE_MS = 60_000;

interface ApiRole {
  id: string;
  name: string;
  color: number;
  position: number;
  managed: boolean;
}

/**
 * The guild's roles, read with `GET /guilds/{guild}/roles` over REST (any process with the bot
 * token can: no gateway session needed), with the bot's own highest role (`GET /users/@me`
 * once, then its member), cached for 60 s, so an operator mapping twenty ranks costs one call.
 * A short timeout and no retries: an admin request must not hang on an unreachable Discord; the
 * caller saves with a warning, and the role picker falls back to typed ids.
 */
@Injectable()
export class DiscordGuildRoles implements GuildRoleCheck {
  private readonly logger = new Logger(DiscordGuildRoles.name);
  private cached: { list: GuildRoleList & { kind: 'listed' }; at: number } | null = null;
  private botId: string | null = null;

  constructor(
    private readonly discord: DiscordApi,
    private readonly clock: Clock,
  ) {}

  async check(roleIds: string[]): Promise<RoleCheck> {
    if (roleIds.length === 0) return { kind: 'checked', missing: [] };
    const list = await this.list();
    if (list.kind === 'unavailable') {
      this.logger.warn(`${list.reason}; role ids saved unchecked`);
      return { kind: 'unchecked', reason: list.reason };
    }
    const known = new Set(list.roles.map((role) => role.id));
    return { kind: 'checked', missing: roleIds.filter((id) => !known.has(id)) };
  }

  /** The guild's roles (cached 60 s), or why they cannot be listed. */
  async list(): Promise<GuildRoleList> {
    const { rest, guildId } = this.discord;
    if (!rest || !guildId) {
      return { kind: 'unavailable', reason: 'Discord is not configured (DISCORD_BOT_TOKEN)' };
    }
    const now = this.clock.nowMs();
    if (this.cached && now - this.cached.at < CACHE_MS) return this.cached.list;
    let roles: ApiRole[];
    try {
      roles = (await rest.get(Routes.guildRoles(guildId))) as ApiRole[];
    } catch (error) {
      return {
        kind: 'unavailable',
        reason: `Discord did not answer GET /guilds/${guildId}/roles: ${(error as Error).message}`,
      };
    }
    const list: GuildRoleList & { kind: 'listed' } = {
      kind: 'listed',
      roles: roles
        // @everyone has the guild's id and belongs to everyone: never a reward.
        .filter((role) => role.id !== guildId)
        .sort((a, b) => b.position - a.position)
        .map((role) => ({
          id: role.id,
          name: role.name,
          color: role.color ? `#${role.color.toString(16).padStart(6, '0')}` : null,
          position: role.position,
          managed: role.managed,
        })),
      botTopPosition: await this.botTopPosition(rest, guildId, roles),
    };
    this.cached = { list, at: now };
    return list;
  }

  /** The highest position among the bot member's roles; null when it could not be read. */
  private async botTopPosition(
    rest: REST,
    guildId: string,
    roles: ApiRole[],
  ): Promise<number | null> {
    try {
      this.botId ??= ((await rest.get(Routes.user('@me'))) as { id: string }).id;
      const member = (await rest.get(Routes.guildMember(guildId, this.botId))) as {
        roles: string[];
      };
      const positions = roles
        .filter((role) => member.roles.includes(role.id))
        .map((role) => role.position);
      return positions.length > 0 ? Math.max(...positions) : 0;
    } catch (error) {
      this.logger.warn(`The bot's own roles could not be read: ${(error as Error).message}`);
      return null;
    }
  }
}
