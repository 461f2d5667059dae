/**
 * State records -> the JSON Discord sends. Typed with discord-api-types so a field discord.js
 * relies on cannot be forgotten. Shared by REST answers and gateway dispatches because Discord
 * uses the same objects in both.
 */
import {
  ChannelType,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildSystemChannelFlags,
  GuildVerificationLevel,
  Locale,
  type APIChannel,
  type APIGuild,
  type APIGuildMember,
  type APIRole,
  type APIUser,
  type APIVoiceState,
  type GatewayGuildCreateDispatchData,
  type GuildMemberFlags,
  type RoleFlags,
} from 'discord.js';
import { computePermissions } from './permissions';
import type { FakeDiscordState, GuildRecord, MemberRecord, VoiceRecord } from './state';
import type { ChannelSeed, FakeUser, RoleSeed } from './types';

// These flag enums have no zero member, yet "no flags" is what Discord sends for plain roles and members.
const NO_ROLE_FLAGS = 0 as RoleFlags;
const NO_MEMBER_FLAGS = 0 as GuildMemberFlags;

export function apiUser(user: FakeUser): APIUser {
  return {
    id: user.id,
    username: user.username,
    discriminator: '0',
    global_name: user.globalName ?? null,
    avatar: user.avatar ?? null,
    bot: user.bot ?? false,
  };
}

export function apiRole(role: RoleSeed): APIRole {
  const color = role.color ?? 0;
  return {
    id: role.id,
    name: role.name,
    color,
    colors: { primary_color: color, secondary_color: null, tertiary_color: null },
    hoist: role.hoist ?? false,
    icon: null,
    unicode_emoji: null,
    position: role.position,
    permissions: role.permissions,
    managed: role.botId !== undefined,
    mentionable: role.mentionable ?? false,
    flags: NO_ROLE_FLAGS,
    ...(role.botId !== undefined ? { tags: { bot_id: role.botId } } : {}),
  };
}

type GuildChannelPayload = GatewayGuildCreateDispatchData['channels'][number];

export function apiChannel(guild: GuildRecord, channel: ChannelSeed): GuildChannelPayload {
  const common = {
    id: channel.id,
    guild_id: guild.id,
    name: channel.name,
    position: channel.position,
    permission_overwrites: [],
    parent_id: null,
    nsfw: false,
    last_message_id: null,
    rate_limit_per_user: 0,
  };
  if (channel.kind === 'voice') {
    return {
      ...common,
      type: ChannelType.GuildVoice,
      bitrate: 64_000,
      user_limit: 0,
      rtc_region: null,
    };
  }
  return {
    ...common,
    type: ChannelType.GuildText,
    topic: null,
    default_auto_archive_duration: 1440,
  };
}

export function apiDmChannel(channelId: string, recipient: FakeUser): APIChannel {
  return {
    id: channelId,
    type: ChannelType.DM,
    name: null,
    last_message_id: null,
    recipients: [apiUser(recipient)],
  };
}

export function apiMember(state: FakeDiscordState, member: MemberRecord): APIGuildMember {
  return {
    user: apiUser(state.requireUser(member.userId)),
    nick: member.nick,
    avatar: null,
    banner: null,
    roles: [...member.roles],
    joined_at: member.joinedAt,
    premium_since: null,
    deaf: member.deaf,
    mute: member.mute,
    flags: NO_MEMBER_FLAGS,
    pending: false,
    communication_disabled_until: null,
  };
}

export function apiVoiceState(
  state: FakeDiscordState,
  guild: GuildRecord,
  voice: VoiceRecord,
  options: { withGuildId: boolean },
): APIVoiceState {
  const member = guild.members.get(voice.userId);
  return {
    ...(options.withGuildId ? { guild_id: guild.id } : {}),
    channel_id: voice.channelId,
    user_id: voice.userId,
    ...(member ? { member: apiMember(state, member) } : {}),
    session_id: voice.sessionId,
    deaf: voice.deaf,
    mute: voice.mute,
    self_deaf: voice.selfDeaf,
    self_mute: voice.selfMute,
    self_stream: voice.selfStream,
    self_video: voice.selfVideo,
    suppress: voice.suppress,
    request_to_speak_timestamp: null,
  };
}

export function memberPermissions(guild: GuildRecord, userId: string): bigint {
  const member = guild.members.get(userId);
  const everyone = guild.roles.get(guild.id)?.permissions ?? '0';
  const roles = (member?.roles ?? []).map((id) => guild.roles.get(id)?.permissions ?? '0');
  return computePermissions([everyone, ...roles], guild.ownerId === userId);
}

const KNOWN_LOCALES: ReadonlySet<string> = new Set(Object.values(Locale));

export function toLocale(value: string): Locale {
  return KNOWN_LOCALES.has(value) ? (value as Locale) : Locale.EnglishUS;
}

export function apiGuild(guild: GuildRecord): APIGuild {
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: guild.ownerId,
    afk_channel_id: guild.afkChannelId,
    afk_timeout: guild.afkTimeout,
    verification_level: GuildVerificationLevel.None,
    default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.Disabled,
    roles: [...guild.roles.values()].map(apiRole),
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: GuildMFALevel.None,
    application_id: null,
    system_channel_id: guild.systemChannelId,
    system_channel_flags: GuildSystemChannelFlags.SuppressJoinNotifications,
    rules_channel_id: null,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: GuildPremiumTier.None,
    premium_subscription_count: 0,
    preferred_locale: toLocale(guild.preferredLocale),
    public_updates_channel_id: null,
    nsfw_level: GuildNSFWLevel.Default,
    premium_progress_bar_enabled: false,
    hub_type: null,
    safety_alerts_channel_id: null,
    max_members: 500_000,
    max_video_channel_users: 25,
    incidents_data: null,
  };
}

/**
 * GUILD_CREATE as a bot receives it. Discord only includes every member when the session has
 * the GUILD_PRESENCES intent and the guild is not "large"; otherwise just the bot itself and
 * members sitting in voice channels. We copy that so an app that trusts the member cache without
 * fetching fails here as it would in production.
 */
export function guildCreatePayload(
  state: FakeDiscordState,
  guild: GuildRecord,
  options: { allMembers: boolean; largeThreshold: number },
): GatewayGuildCreateDispatchData {
  const large = guild.members.size > options.largeThreshold;
  const members = [...guild.members.values()].filter(
    (m) => (options.allMembers && !large) || m.userId === state.bot.id || guild.voice.has(m.userId),
  );
  return {
    ...apiGuild(guild),
    joined_at: guild.joinedAt,
    large,
    unavailable: false,
    member_count: guild.members.size,
    voice_states: [...guild.voice.values()].map((v) =>
      apiVoiceState(state, guild, v, { withGuildId: false }),
    ),
    members: members.map((m) => apiMember(state, m)),
    channels: [...guild.channels.values()].map((c) => apiChannel(guild, c)),
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}
