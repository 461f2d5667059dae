/**
 * What "Discord" knows: users, guilds with roles, channels, members and voice states, messages,
 * registered commands and interactions. Plain in-memory records with no I/O; the REST server,
 * the gateway and the test helpers all read and change this one copy, so a role added over REST
 * shows up in the next GUILD_CREATE and in `memberRoles()` alike.
 */
import type { APIApplicationCommand, APIMessage } from 'discord.js';
import { compareSnowflakes } from './snowflake';
import type {
  AfkTimeout,
  ChannelSeed,
  FakeUser,
  GuildSeed,
  InteractionReply,
  RoleSeed,
} from './types';

export interface MemberRecord {
  userId: string;
  roles: string[];
  nick: string | null;
  joinedAt: string;
  deaf: boolean;
  mute: boolean;
}

export interface VoiceRecord {
  userId: string;
  channelId: string;
  sessionId: string;
  deaf: boolean;
  mute: boolean;
  selfDeaf: boolean;
  selfMute: boolean;
  selfVideo: boolean;
  selfStream: boolean;
  suppress: boolean;
}

export interface GuildRecord {
  id: string;
  name: string;
  ownerId: string;
  afkChannelId: string | null;
  afkTimeout: AfkTimeout;
  systemChannelId: string | null;
  preferredLocale: string;
  joinedAt: string;
  roles: Map<string, RoleSeed>;
  channels: Map<string, ChannelSeed>;
  members: Map<string, MemberRecord>;
  voice: Map<string, VoiceRecord>;
}

export interface InteractionRecord {
  id: string;
  token: string;
  kind: 'command' | 'component';
  guildId: string;
  channelId: string;
  userId: string;
  createdAt: number;
  /** Callback type once the app answered; a second callback is refused like Discord does. */
  callbackType: number | null;
  /** The @original response message, once a type 4 or 5 callback created it. */
  originalId: string | null;
  /** For a component interaction: the message holding the component (updated by type 7). */
  sourceMessageId: string | null;
  replies: InteractionReply[];
}

export type ChannelLocation =
  { kind: 'guild'; guild: GuildRecord; channel: ChannelSeed } | { kind: 'dm'; userId: string };

export class FakeDiscordState {
  readonly users = new Map<string, FakeUser>();
  readonly guilds = new Map<string, GuildRecord>();
  /** Messages per channel id, oldest first. */
  readonly messages = new Map<string, APIMessage[]>();
  /** Ephemeral interaction responses: only the invoking user sees them, never channel history. */
  readonly ephemeral = new Map<string, APIMessage>();
  /** DM channel id per recipient user id (one DM channel per user, like Discord). */
  readonly dmChannels = new Map<string, string>();
  /** Users whose privacy settings refuse DMs from the bot. */
  readonly closedDms = new Set<string>();
  /**
   * Messages created with `enforce_nonce`, by author and nonce, with when: within the window a
   * second create with the same nonce returns the first message instead of a new one.
   */
  readonly nonces = new Map<string, { message: APIMessage; at: number }>();
  /** Messages created per author and nonce (enforced or not): above 1, a message was repeated. */
  readonly createdByNonce = new Map<string, number>();
  readonly globalCommands: APIApplicationCommand[] = [];
  readonly guildCommands = new Map<string, APIApplicationCommand[]>();
  readonly interactions = new Map<string, InteractionRecord>();

  constructor(readonly bot: FakeUser) {
    this.users.set(bot.id, bot);
  }

  addGuild(seed: GuildSeed, now: string): GuildRecord {
    if (!seed.roles.some((r) => r.id === seed.id)) {
      throw new Error(`guild ${seed.id}: roles must include @everyone with the guild's id`);
    }
    const guild: GuildRecord = {
      id: seed.id,
      name: seed.name,
      ownerId: seed.ownerId,
      afkChannelId: seed.afkChannelId,
      afkTimeout: seed.afkTimeout,
      systemChannelId: seed.systemChannelId ?? null,
      preferredLocale: seed.preferredLocale ?? 'en-US',
      joinedAt: now,
      roles: new Map(seed.roles.map((r) => [r.id, { ...r }])),
      channels: new Map(seed.channels.map((c) => [c.id, { ...c }])),
      members: new Map(),
      voice: new Map(),
    };
    this.guilds.set(guild.id, guild);
    for (const m of seed.members) {
      this.users.set(m.user.id, m.user);
      guild.members.set(m.user.id, {
        userId: m.user.id,
        roles: [...m.roles],
        nick: m.nick ?? null,
        joinedAt: m.joinedAt ?? now,
        deaf: false,
        mute: false,
      });
    }
    return guild;
  }

  requireUser(id: string): FakeUser {
    const user = this.users.get(id);
    if (!user) throw new Error(`fake discord: unknown user ${id}`);
    return user;
  }

  requireGuild(id: string): GuildRecord {
    const guild = this.guilds.get(id);
    if (!guild) throw new Error(`fake discord: unknown guild ${id}`);
    return guild;
  }

  /** Members sorted by user id, the order of the list-members endpoint. */
  sortedMembers(guild: GuildRecord): MemberRecord[] {
    return [...guild.members.values()].sort((a, b) => compareSnowflakes(a.userId, b.userId));
  }

  locateChannel(channelId: string): ChannelLocation | undefined {
    for (const guild of this.guilds.values()) {
      const channel = guild.channels.get(channelId);
      if (channel) return { kind: 'guild', guild, channel };
    }
    for (const [userId, dmId] of this.dmChannels) {
      if (dmId === channelId) return { kind: 'dm', userId };
    }
    return undefined;
  }

  /** The guild whose members include this user, first one wins (the fake usually has one). */
  guildOf(userId: string): GuildRecord | undefined {
    return [...this.guilds.values()].find((g) => g.members.has(userId));
  }

  channelMessages(channelId: string): APIMessage[] {
    let list = this.messages.get(channelId);
    if (!list) {
      list = [];
      this.messages.set(channelId, list);
    }
    return list;
  }

  findMessage(messageId: string): APIMessage | undefined {
    const ephemeral = this.ephemeral.get(messageId);
    if (ephemeral) return ephemeral;
    for (const list of this.messages.values()) {
      const found = list.find((m) => m.id === messageId);
      if (found) return found;
    }
    return undefined;
  }

  replaceMessage(message: APIMessage): void {
    if (this.ephemeral.has(message.id)) {
      this.ephemeral.set(message.id, message);
      return;
    }
    const list = this.channelMessages(message.channel_id);
    const index = list.findIndex((m) => m.id === message.id);
    if (index >= 0) list[index] = message;
    else list.push(message);
  }

  removeMessage(message: APIMessage): void {
    this.ephemeral.delete(message.id);
    const list = this.channelMessages(message.channel_id);
    const index = list.findIndex((m) => m.id === message.id);
    if (index >= 0) list.splice(index, 1);
  }

  interactionByToken(token: string): InteractionRecord | undefined {
    return [...this.interactions.values()].find((i) => i.token === token);
  }

  /** Bot's highest role position: it may only manage roles strictly below it. */
  botTopPosition(guild: GuildRecord): number {
    const member = guild.members.get(this.bot.id);
    if (!member) return 0;
    return Math.max(0, ...member.roles.map((r) => guild.roles.get(r)?.position ?? 0));
  }
}
