/**
 * Changes to the fake's world together with the gateway events Discord emits for them. Both the
 * REST routes (a role PUT) and the test helpers (a member joins) go through here, so every change
 * reaches connected bots the way it would on Discord: GUILD_MEMBER_UPDATE after a role change,
 * MESSAGE_CREATE for every non-ephemeral message, VOICE_STATE_UPDATE on voice moves.
 */
import { randomBytes } from 'node:crypto';
import {
  GatewayDispatchEvents,
  MessageFlags,
  MessageType,
  type APIEmbed,
  type APIMessage,
  type APIMessageTopLevelComponent,
} from 'discord.js';
import type { GatewayEvents } from './gateway-server';
import { Intent, visibleMessage } from './intents';
import { apiMember, apiRole, apiUser, apiVoiceState } from './payloads';
import type { SnowflakeGenerator } from './snowflake';
import type { FakeDiscordState, GuildRecord, MemberRecord, VoiceRecord } from './state';
import type { FakeUser, RoleSeed } from './types';

export interface VoicePatch {
  channelId: string | null;
  selfDeaf?: boolean;
  selfMute?: boolean;
  deaf?: boolean;
  mute?: boolean;
  selfVideo?: boolean;
  selfStream?: boolean;
  suppress?: boolean;
}

/** The parts of a message body the app can send or edit. */
export interface MessageContent {
  content?: string;
  embeds?: APIEmbed[];
  components?: APIMessageTopLevelComponent[];
  flags?: number;
}

export interface NewMessage extends MessageContent {
  channelId: string;
  author: FakeUser;
  type?: MessageType;
  webhookId?: string;
  applicationId?: string;
  interactionMetadata?: APIMessage['interaction_metadata'];
  /** Store without MESSAGE_CREATE, e.g. a message that existed before the test started. */
  silent?: boolean;
}

export class FakeWorld {
  constructor(
    readonly state: FakeDiscordState,
    readonly ids: SnowflakeGenerator,
    private readonly events: GatewayEvents,
    readonly applicationId: string,
  ) {}

  now(): string {
    return new Date().toISOString();
  }

  setMemberRoles(guild: GuildRecord, userId: string, roles: string[]): void {
    const member = guild.members.get(userId);
    if (!member) throw new Error(`fake discord: ${userId} is not a member of ${guild.id}`);
    const next = [...new Set(roles)].filter((r) => r !== guild.id);
    const unchanged =
      next.length === member.roles.length && next.every((r) => member.roles.includes(r));
    member.roles = next;
    if (!unchanged) this.memberUpdated(guild, member);
  }

  memberUpdated(guild: GuildRecord, member: MemberRecord): void {
    this.events.dispatch(
      GatewayDispatchEvents.GuildMemberUpdate,
      { ...apiMember(this.state, member), guild_id: guild.id },
      { guildId: guild.id, intent: Intent.GuildMembers },
    );
  }

  addMember(
    guild: GuildRecord,
    user: FakeUser,
    options: { roles?: string[]; nick?: string | null } = {},
  ): MemberRecord {
    if (guild.members.has(user.id))
      throw new Error(`fake discord: ${user.id} is already a member of ${guild.id}`);
    this.state.users.set(user.id, user);
    const member: MemberRecord = {
      userId: user.id,
      roles: [...(options.roles ?? [])],
      nick: options.nick ?? null,
      joinedAt: this.now(),
      deaf: false,
      mute: false,
    };
    guild.members.set(user.id, member);
    this.events.dispatch(
      GatewayDispatchEvents.GuildMemberAdd,
      { ...apiMember(this.state, member), guild_id: guild.id },
      { guildId: guild.id, intent: Intent.GuildMembers },
    );
    return member;
  }

  removeMember(guild: GuildRecord, userId: string): void {
    if (!guild.members.has(userId))
      throw new Error(`fake discord: ${userId} is not a member of ${guild.id}`);
    // Leaving a guild also drops its voice connection, and Discord says so first.
    if (guild.voice.has(userId)) this.updateVoice(guild, userId, { channelId: null });
    guild.members.delete(userId);
    this.events.dispatch(
      GatewayDispatchEvents.GuildMemberRemove,
      { guild_id: guild.id, user: apiUser(this.state.requireUser(userId)) },
      { guildId: guild.id, intent: Intent.GuildMembers },
    );
  }

  addRole(guild: GuildRecord, role: Omit<RoleSeed, 'id'>): RoleSeed {
    const created: RoleSeed = { ...role, id: this.ids.next() };
    guild.roles.set(created.id, created);
    this.events.dispatch(
      GatewayDispatchEvents.GuildRoleCreate,
      { guild_id: guild.id, role: apiRole(created) },
      { guildId: guild.id, intent: Intent.Guilds },
    );
    return created;
  }

  updateVoice(guild: GuildRecord, userId: string, patch: VoicePatch): void {
    const previous = guild.voice.get(userId);
    if (patch.channelId !== null) {
      const channel = guild.channels.get(patch.channelId);
      if (!channel || channel.kind !== 'voice')
        throw new Error(`fake discord: ${patch.channelId} is not a voice channel`);
    }
    const next: VoiceRecord = {
      userId,
      channelId: patch.channelId ?? previous?.channelId ?? '',
      // A new voice connection gets a new session id; moving between channels keeps it.
      sessionId: previous?.sessionId ?? randomBytes(16).toString('hex'),
      deaf: patch.deaf ?? previous?.deaf ?? false,
      mute: patch.mute ?? previous?.mute ?? false,
      selfDeaf: patch.selfDeaf ?? previous?.selfDeaf ?? false,
      selfMute: patch.selfMute ?? previous?.selfMute ?? false,
      selfVideo: patch.selfVideo ?? previous?.selfVideo ?? false,
      selfStream: patch.selfStream ?? previous?.selfStream ?? false,
      suppress: patch.suppress ?? previous?.suppress ?? false,
    };
    if (patch.channelId === null) guild.voice.delete(userId);
    else guild.voice.set(userId, next);
    const payload = {
      ...apiVoiceState(this.state, guild, next, { withGuildId: true }),
      channel_id: patch.channelId,
    };
    this.events.dispatch(GatewayDispatchEvents.VoiceStateUpdate, payload, {
      guildId: guild.id,
      intent: Intent.GuildVoiceStates,
    });
  }

  createMessage(input: NewMessage): APIMessage {
    const content = input.content ?? '';
    const message: APIMessage = {
      id: this.ids.next(),
      channel_id: input.channelId,
      author: apiUser(input.author),
      content,
      timestamp: this.now(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: content.includes('@everyone') || content.includes('@here'),
      mentions: this.mentionedUsers(content),
      mention_roles: [...content.matchAll(/<@&(\d+)>/g)].map((m) => m[1]!),
      attachments: [],
      embeds: input.embeds ?? [],
      components: input.components ?? [],
      pinned: false,
      type: input.type ?? MessageType.Default,
      flags: input.flags ?? 0,
      ...(input.webhookId !== undefined ? { webhook_id: input.webhookId } : {}),
      ...(input.applicationId !== undefined ? { application_id: input.applicationId } : {}),
      ...(input.interactionMetadata !== undefined
        ? { interaction_metadata: input.interactionMetadata }
        : {}),
    };
    if (isEphemeral(message)) this.state.ephemeral.set(message.id, message);
    else this.state.channelMessages(message.channel_id).push(message);
    if (!input.silent && !isEphemeral(message))
      this.publish(GatewayDispatchEvents.MessageCreate, message);
    return message;
  }

  updateMessage(message: APIMessage, patch: MessageContent): APIMessage {
    const updated: APIMessage = {
      ...message,
      ...(patch.content !== undefined
        ? { content: patch.content, mentions: this.mentionedUsers(patch.content) }
        : {}),
      ...(patch.embeds !== undefined ? { embeds: patch.embeds } : {}),
      ...(patch.components !== undefined ? { components: patch.components } : {}),
      // Editing a deferred ("thinking...") response ends the loading state.
      flags:
        ((patch.flags ?? message.flags ?? 0) & ~MessageFlags.Loading) |
        ((message.flags ?? 0) & MessageFlags.Ephemeral),
      edited_timestamp: this.now(),
    };
    this.state.replaceMessage(updated);
    if (!isEphemeral(updated)) this.publish(GatewayDispatchEvents.MessageUpdate, updated);
    return updated;
  }

  deleteMessage(message: APIMessage): void {
    this.state.removeMessage(message);
    if (isEphemeral(message)) return;
    const location = this.state.locateChannel(message.channel_id);
    const guildId = location?.kind === 'guild' ? location.guild.id : undefined;
    this.events.dispatch(
      GatewayDispatchEvents.MessageDelete,
      { id: message.id, channel_id: message.channel_id, ...(guildId ? { guild_id: guildId } : {}) },
      guildId ? { guildId, intent: Intent.GuildMessages } : { intent: Intent.DirectMessages },
    );
  }

  /** MESSAGE_CREATE / UPDATE with guild_id and the author's member, content per session intents. */
  private publish(event: GatewayDispatchEvents, message: APIMessage): void {
    const location = this.state.locateChannel(message.channel_id);
    const botId = this.state.bot.id;
    if (location?.kind === 'guild') {
      const { guild } = location;
      const member =
        message.webhook_id === undefined ? guild.members.get(message.author.id) : undefined;
      const partialMember = member ? withoutUser(apiMember(this.state, member)) : undefined;
      const data = {
        ...message,
        guild_id: guild.id,
        ...(partialMember ? { member: partialMember } : {}),
      };
      this.events.dispatch(event, data, {
        guildId: guild.id,
        intent: Intent.GuildMessages,
        render: (intents) => visibleMessage(data, intents, botId, false),
      });
      return;
    }
    this.events.dispatch(event, message, { intent: Intent.DirectMessages });
  }

  private mentionedUsers(content: string) {
    return [...content.matchAll(/<@!?(\d+)>/g)]
      .map((m) => this.state.users.get(m[1]!))
      .filter((u): u is FakeUser => u !== undefined)
      .map(apiUser);
  }
}

export function isEphemeral(message: APIMessage): boolean {
  return ((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
}

function withoutUser<T extends { user?: unknown }>(member: T): Omit<T, 'user'> {
  const { user: _user, ...rest } = member;
  return rest;
}
