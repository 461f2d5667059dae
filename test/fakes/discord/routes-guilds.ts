/**
 * Guilds, members, roles and voice states. The role endpoints enforce what Discord enforces:
 * the bot needs Manage Roles and may only touch roles below its own highest role, and managed
 * roles (another bot's role) cannot be handed out. Answers are the real codes (10007 Unknown
 * Member, 10011 Unknown Role, 50013 Missing Permissions) because the app branches on them.
 */
import { DiscordErrors } from './discord-errors';
import { asRecord, optionalString, stringArray } from './json';
import {
  apiChannel,
  apiGuild,
  apiMember,
  apiRole,
  apiVoiceState,
  memberPermissions,
} from './payloads';
import { Permission, hasPermission } from './permissions';
import { guildOr404, memberOr404, type RouteContext } from './route-context';
import { noContent, ok, type RestRouter } from './rest-router';
import { compareSnowflakes } from './snowflake';
import type { GuildRecord } from './state';

export function registerGuildRoutes(router: RestRouter, ctx: RouteContext): void {
  const { world } = ctx;
  const { state } = world;

  router
    .get('/guilds/:guildId', ({ params, query }) => {
      const guild = guildOr404(ctx, params.guildId!);
      const counts =
        query.get('with_counts') === 'true'
          ? { approximate_member_count: guild.members.size, approximate_presence_count: 0 }
          : {};
      return ok({ ...apiGuild(guild), ...counts });
    })
    .get('/guilds/:guildId/channels', ({ params }) => {
      const guild = guildOr404(ctx, params.guildId!);
      return ok([...guild.channels.values()].map((c) => apiChannel(guild, c)));
    })
    .get('/guilds/:guildId/roles', ({ params }) =>
      ok([...guildOr404(ctx, params.guildId!).roles.values()].map(apiRole)),
    )
    .get('/guilds/:guildId/members', ({ params, query }) => {
      const guild = guildOr404(ctx, params.guildId!);
      // Real paging: sorted by user id, `after` exclusive, limit 1..1000 with a default of 1.
      const limit = Number(query.get('limit') ?? '1');
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
        throw DiscordErrors.invalidForm('limit', 'int value should be between 1 and 1000');
      }
      const after = query.get('after') ?? '0';
      const page = state
        .sortedMembers(guild)
        .filter((m) => compareSnowflakes(m.userId, after) > 0)
        .slice(0, limit);
      return ok(page.map((m) => apiMember(state, m)));
    })
    .get('/guilds/:guildId/members/search', ({ params, query }) => {
      const guild = guildOr404(ctx, params.guildId!);
      const text = (query.get('query') ?? '').toLowerCase();
      const limit = Math.min(1000, Math.max(1, Number(query.get('limit') ?? '1')));
      const found = state.sortedMembers(guild).filter((m) => {
        const user = state.requireUser(m.userId);
        return [user.username, user.globalName ?? '', m.nick ?? ''].some((n) =>
          n.toLowerCase().startsWith(text),
        );
      });
      return ok(found.slice(0, limit).map((m) => apiMember(state, m)));
    })
    .get('/guilds/:guildId/members/:userId', ({ params }) => {
      const guild = guildOr404(ctx, params.guildId!);
      return ok(apiMember(state, memberOr404(ctx, guild, params.userId!)));
    })
    .put('/guilds/:guildId/members/:userId/roles/:roleId', ({ params }) => {
      const { guild, userId, roleId } = roleTarget(ctx, params);
      const member = guild.members.get(userId)!;
      world.setMemberRoles(guild, userId, [...member.roles, roleId]);
      return noContent();
    })
    .delete('/guilds/:guildId/members/:userId/roles/:roleId', ({ params }) => {
      const { guild, userId, roleId } = roleTarget(ctx, params);
      const member = guild.members.get(userId)!;
      world.setMemberRoles(
        guild,
        userId,
        member.roles.filter((r) => r !== roleId),
      );
      return noContent();
    })
    .patch('/guilds/:guildId/members/:userId', ({ params, body }) => {
      const guild = guildOr404(ctx, params.guildId!);
      const member = memberOr404(ctx, guild, params.userId!);
      const patch = asRecord(body);
      const roles = stringArray(patch.roles);
      if (roles) {
        // A full-list PATCH rewrites every role; Discord checks each one that changes.
        const changed = [
          ...roles.filter((r) => !member.roles.includes(r)),
          ...member.roles.filter((r) => !roles.includes(r)),
        ];
        for (const roleId of changed) checkRoleManageable(ctx, guild, roleId);
        member.roles = [...new Set(roles)];
      }
      if ('nick' in patch) member.nick = optionalString(patch.nick) ?? null;
      if (typeof patch.mute === 'boolean') member.mute = patch.mute;
      if (typeof patch.deaf === 'boolean') member.deaf = patch.deaf;
      world.memberUpdated(guild, member);
      if ('channel_id' in patch && guild.voice.has(member.userId)) {
        world.updateVoice(guild, member.userId, {
          channelId: optionalString(patch.channel_id) ?? null,
        });
      }
      return ok(apiMember(state, member));
    })
    .get('/guilds/:guildId/voice-states/:userId', ({ params }) => {
      const guild = guildOr404(ctx, params.guildId!);
      const userId = params.userId === '@me' ? state.bot.id : params.userId!;
      const voice = guild.voice.get(userId);
      if (!voice) throw DiscordErrors.unknownVoiceState();
      return ok(apiVoiceState(state, guild, voice, { withGuildId: true }));
    });
}

function roleTarget(ctx: RouteContext, params: Record<string, string>) {
  const guild = guildOr404(ctx, params.guildId!);
  const member = memberOr404(ctx, guild, params.userId!);
  const roleId = params.roleId!;
  checkRoleManageable(ctx, guild, roleId);
  return { guild, userId: member.userId, roleId };
}

function checkRoleManageable(ctx: RouteContext, guild: GuildRecord, roleId: string): void {
  const role = guild.roles.get(roleId);
  if (!role) throw DiscordErrors.unknownRole();
  const { state } = ctx.world;
  const botPermissions = memberPermissions(guild, state.bot.id);
  const isOwner = guild.ownerId === state.bot.id;
  if (!hasPermission(botPermissions, Permission.ManageRoles))
    throw DiscordErrors.missingPermissions();
  if (!isOwner && role.position >= state.botTopPosition(guild))
    throw DiscordErrors.missingPermissions();
  if (role.botId !== undefined || roleId === guild.id) throw DiscordErrors.missingPermissions();
}
