/**
 * Builders for the world the fake starts with. The default guild has what the app's Discord
 * features touch: an owner, @everyone, a managed bot role at the top (so the bot may manage
 * every other role), rank and achievement roles to hand out, a text channel, two voice
 * channels and an AFK channel (voice XP must ignore it), and a few players.
 */
import { EVERYONE_PERMISSIONS, Permission } from './permissions';
import { SnowflakeGenerator } from './snowflake';
import type { FakeUser, GuildSeed, MemberSeed, RoleSeed } from './types';

export function buildUser(
  ids: SnowflakeGenerator,
  username: string,
  options: { bot?: boolean; globalName?: string | null } = {},
): FakeUser {
  return {
    id: ids.next(),
    username,
    globalName: options.globalName ?? null,
    bot: options.bot ?? false,
  };
}

export interface DefaultGuild {
  seed: GuildSeed;
  id: string;
  users: { owner: FakeUser; bot: FakeUser; alice: FakeUser; bob: FakeUser };
  roles: {
    everyone: string;
    bot: string;
    admin: string;
    rank1: string;
    rank2: string;
    rank3: string;
    achievement: string;
  };
  channels: { text: string; voiceA: string; voiceB: string; afk: string };
}

export function buildDefaultGuild(
  ids: SnowflakeGenerator,
  bot: FakeUser,
  options: { name?: string } = {},
): DefaultGuild {
  const guildId = ids.next();
  const owner = buildUser(ids, 'owner');
  const alice = buildUser(ids, 'alice', { globalName: 'Alice' });
  const bob = buildUser(ids, 'bob', { globalName: 'Bob' });

  const role = (
    name: string,
    position: number,
    permissions: bigint,
    extra: Partial<RoleSeed> = {},
  ) => ({
    id: ids.next(),
    name,
    position,
    permissions: permissions.toString(),
    ...extra,
  });
  const everyone: RoleSeed = {
    id: guildId,
    name: '@everyone',
    position: 0,
    permissions: EVERYONE_PERMISSIONS.toString(),
  };
  const rank1 = role('Rank I', 1, 0n);
  const rank2 = role('Rank II', 2, 0n);
  const rank3 = role('Rank III', 3, 0n);
  const achievement = role('Chatterbox', 4, 0n);
  const admin = role('Admin', 5, Permission.Administrator, { hoist: true });
  const botRole = role('TTFD Sync', 6, Permission.ManageRoles | EVERYONE_PERMISSIONS, {
    botId: bot.id,
  });

  const text = { id: ids.next(), name: 'general', kind: 'text' as const, position: 0 };
  const voiceA = { id: ids.next(), name: 'Voice A', kind: 'voice' as const, position: 1 };
  const voiceB = { id: ids.next(), name: 'Voice B', kind: 'voice' as const, position: 2 };
  const afk = { id: ids.next(), name: 'AFK', kind: 'voice' as const, position: 3 };

  const members: MemberSeed[] = [
    { user: owner, roles: [admin.id] },
    { user: bot, roles: [botRole.id] },
    { user: alice, roles: [] },
    { user: bob, roles: [] },
  ];

  const seed: GuildSeed = {
    id: guildId,
    name: options.name ?? 'TTFD Community',
    ownerId: owner.id,
    roles: [everyone, rank1, rank2, rank3, achievement, admin, botRole],
    channels: [text, voiceA, voiceB, afk],
    members,
    afkChannelId: afk.id,
    afkTimeout: 300,
    systemChannelId: text.id,
    preferredLocale: 'en-US',
  };

  return {
    seed,
    id: guildId,
    users: { owner, bot, alice, bob },
    roles: {
      everyone: everyone.id,
      bot: botRole.id,
      admin: admin.id,
      rank1: rank1.id,
      rank2: rank2.id,
      rank3: rank3.id,
      achievement: achievement.id,
    },
    channels: { text: text.id, voiceA: voiceA.id, voiceB: voiceB.id, afk: afk.id },
  };
}
