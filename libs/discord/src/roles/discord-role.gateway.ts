import { Inject, Injectable } from '@nestjs/common';
import { RESTJSONErrorCodes, Routes, type APIGuildMember } from 'discord.js';
import { DiscordAPIError, REST } from 'discord.js';
import { RoleGateway, type RoleCallOptions } from '@ttfd/sync';
import { DiscordBudget } from '../rest/discord-budget';
import { DISCORD_ROLE_REST } from '../rest/discord-rest';
import { DiscordSettings } from '../discord-settings';
import { RoleCallError, type RoleCallMethod } from './role-call.error';
import { RolePauses } from './role-pauses';

/** Discord's answers meaning "this member is not in the guild any more": final, not retried. */
const GONE_CODES: ReadonlySet<number> = new Set([
  RESTJSONErrorCodes.UnknownMember,
  RESTJSONErrorCodes.UnknownUser,
]);

/**
 * `RoleGateway` of @ttfd/sync over Discord's REST API: one member and one role at a time
 * (PUT / DELETE /guilds/{g}/members/{u}/roles/{r}), never a member PATCH with a role list, which
 * would rewrite the roles we do not manage. Which roles to touch is the sync's decision
 * (convergence over the mapping tables); this class has no role logic of its own.
 *
 * Rate limits: every call first takes a token from DiscordBudget (the role share of Discord's
 * global limit and the member-role bucket, shared by every process through Redis; bulk calls
 * only use what live ones leave), and goes out on its own REST client, so role changes never
 * queue behind DMs. discord.js still waits out a 429 and retries 5xx itself, so a 429 here is
 * slow, not an error. A reconcile listing is bulk.
 * A refused role change throws RoleCallError (Discord's code, status, role, member) for the
 * sync to store and retry; a role refused with 403 three times in a row is paused (RolePauses)
 * and fails fast with no call. Other errors are thrown for the sync to retry. A read goes to REST, never the gateway cache
 * (GUILD_CREATE does not even carry most members); the convergence reads only when the stored
 * applied roles are unknown or a fresh read is asked for.
 */
@Injectable()
export class DiscordRoleGateway extends RoleGateway {
  constructor(
    @Inject(DISCORD_ROLE_REST) private readonly rest: REST,
    private readonly settings: DiscordSettings,
    private readonly budget: DiscordBudget,
    private readonly pauses: RolePauses,
  ) {
    super();
  }

  async readMemberRoles(
    discordUserId: string,
    options: RoleCallOptions = {},
  ): Promise<string[] | 'gone'> {
    return this.goneOn404(async () => {
      await this.budget.roleCall(options.priority ?? 'live', false);
      const member = (await this.rest.get(
        Routes.guildMember(this.settings.guildId, discordUserId),
      )) as APIGuildMember;
      return member.roles;
    });
  }

  async addRole(
    discordUserId: string,
    roleId: string,
    options: RoleCallOptions = {},
  ): Promise<'ok' | 'gone'> {
    return this.changeRole('PUT', discordUserId, roleId, options);
  }

  async removeRole(
    discordUserId: string,
    roleId: string,
    options: RoleCallOptions = {},
  ): Promise<'ok' | 'gone'> {
    return this.changeRole('DELETE', discordUserId, roleId, options);
  }

  async listMembers(
    afterUserId: string | null,
    limit: number,
  ): Promise<{ members: { userId: string; roles: string[] }[] }> {
    const query = new URLSearchParams({ limit: String(limit), after: afterUserId ?? '0' });
    await this.budget.roleCall('bulk', false);
    const page = (await this.rest.get(Routes.guildMembers(this.settings.guildId), {
      query,
    })) as APIGuildMember[];
    return {
      members: page.flatMap((member) =>
        member.user ? [{ userId: member.user.id, roles: member.roles }] : [],
      ),
    };
  }

  /**
   * One PUT / DELETE of a member's role. A paused role fails fast with no call made; a refusal
   * throws a RoleCallError with Discord's code, the role and the member, and a 403 counts
   * towards the role's pause (RolePauses).
   */
  private async changeRole(
    method: RoleCallMethod,
    discordUserId: string,
    roleId: string,
    options: RoleCallOptions,
  ): Promise<'ok' | 'gone'> {
    const pausedUntil = await this.pauses.pausedUntil(roleId);
    if (pausedUntil !== null)
      throw RoleCallError.paused(method, roleId, discordUserId, pausedUntil);
    await this.budget.roleCall(options.priority ?? 'live', true);
    const route = Routes.guildMemberRole(this.settings.guildId, discordUserId, roleId);
    const request = { reason: 'TTFD Sync: rank / achievement role' };
    try {
      if (method === 'PUT') await this.rest.put(route, request);
      else await this.rest.delete(route, request);
    } catch (error) {
      if (!(error instanceof DiscordAPIError)) throw error;
      if (typeof error.code === 'number' && GONE_CODES.has(error.code)) return 'gone';
      if (error.status === 403) await this.pauses.forbidden(roleId);
      throw RoleCallError.fromDiscord(method, roleId, discordUserId, error);
    }
    await this.pauses.succeeded(roleId);
    return 'ok';
  }

  private async goneOn404<T>(work: () => Promise<T>): Promise<T | 'gone'> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof DiscordAPIError && typeof error.code === 'number') {
        if (GONE_CODES.has(error.code)) return 'gone';
      }
      throw error;
    }
  }
}
