/**
 * Building INTERACTION_CREATE the way Discord does for a slash command or a button press: the
 * invoking member with its computed permissions string, locales, a one-time token, and for
 * commands the registered command's id plus `resolved` data for user / role / channel options.
 *
 * A slash command must have been registered (PUT .../commands) unless the test says otherwise:
 * Discord cannot send an interaction for a command nobody registered, and an app that forgets
 * to register its commands should fail its tests.
 */
import { randomBytes } from 'node:crypto';
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ComponentType,
  GatewayDispatchEvents,
  InteractionContextType,
  InteractionType,
  type APIApplicationCommandInteractionDataOption,
  type APIInteraction,
  type APIInteractionDataResolved,
  type APIMessage,
} from 'discord.js';
import type { GatewayEvents } from './gateway-server';
import { apiChannel, apiMember, apiRole, apiUser, memberPermissions, toLocale } from './payloads';
import type { GuildRecord, InteractionRecord } from './state';
import type { FakeWorld } from './world';

export type CommandOptionValue = string | number | boolean;

interface InteractionBase {
  /** The member who acts; must be in the guild. */
  userId: string;
  /** Defaults to the first guild. */
  guildId?: string;
  /** Defaults to the guild's system channel, else its first text channel. */
  channelId?: string;
  /** The user's client locale, e.g. 'ru' or 'en-US'. */
  locale?: string;
  /** Overrides the permissions computed from the member's roles. */
  permissions?: string | bigint;
}

export interface SlashCommandSpec extends InteractionBase {
  kind: 'command';
  name: string;
  /** `{ code: 'ABC' }` for plain options, or the raw option array (subcommands, users, roles). */
  options?: Record<string, CommandOptionValue> | APIApplicationCommandInteractionDataOption[];
  /** Send even if the app never registered the command (Discord never would). */
  allowUnregistered?: boolean;
}

export interface ButtonSpec extends InteractionBase {
  kind: 'button';
  customId: string;
  /** The message holding the button; by default a bot message with that button is made up. */
  messageId?: string;
}

export type InteractionSpec = SlashCommandSpec | ButtonSpec;

export function createInteraction(
  world: FakeWorld,
  events: GatewayEvents,
  spec: InteractionSpec,
): InteractionRecord {
  const { state } = world;
  const guild = spec.guildId ? state.requireGuild(spec.guildId) : [...state.guilds.values()][0];
  if (!guild) throw new Error('fake discord: no guild to send the interaction in');
  const member = guild.members.get(spec.userId);
  if (!member) throw new Error(`fake discord: ${spec.userId} is not a member of ${guild.id}`);
  const channelId = spec.channelId ?? defaultChannelId(guild);
  const channel = guild.channels.get(channelId);
  if (!channel) throw new Error(`fake discord: ${channelId} is not a channel of ${guild.id}`);

  const record: InteractionRecord = {
    id: world.ids.next(),
    token: `fake-interaction.${randomBytes(24).toString('base64url')}`,
    kind: spec.kind === 'command' ? 'command' : 'component',
    guildId: guild.id,
    channelId,
    userId: spec.userId,
    createdAt: Date.now(),
    callbackType: null,
    originalId: null,
    sourceMessageId: null,
    replies: [],
  };

  const permissions =
    spec.permissions !== undefined
      ? spec.permissions.toString()
      : memberPermissions(guild, spec.userId).toString();
  const base = {
    id: record.id,
    application_id: world.applicationId,
    token: record.token,
    version: 1 as const,
    guild: { id: guild.id, features: [], locale: toLocale(guild.preferredLocale) },
    guild_id: guild.id,
    channel: apiChannel(guild, channel),
    channel_id: channelId,
    member: { ...apiMember(state, member), permissions },
    app_permissions: memberPermissions(guild, state.bot.id).toString(),
    locale: toLocale(spec.locale ?? 'en-US'),
    guild_locale: toLocale(guild.preferredLocale),
    entitlements: [],
    authorizing_integration_owners: { '0': guild.id },
    context: InteractionContextType.Guild,
    attachment_size_limit: 10 * 1024 * 1024,
  };

  let payload: APIInteraction;
  if (spec.kind === 'command') {
    const command = [...(state.guildCommands.get(guild.id) ?? []), ...state.globalCommands].find(
      (c) => c.name === spec.name,
    );
    if (!command && !spec.allowUnregistered) {
      throw new Error(
        `fake discord: slash command /${spec.name} was never registered (PUT .../commands)`,
      );
    }
    const options = Array.isArray(spec.options) ? spec.options : simpleOptions(spec.options ?? {});
    const resolved = resolveOptions(world, guild, options);
    payload = {
      ...base,
      type: InteractionType.ApplicationCommand,
      data: {
        id: command?.id ?? world.ids.next(),
        name: spec.name,
        type: ApplicationCommandType.ChatInput,
        options,
        ...(resolved ? { resolved } : {}),
        ...(command?.guild_id ? { guild_id: command.guild_id } : {}),
      },
    };
  } else {
    const message = sourceMessage(world, spec, channelId);
    record.sourceMessageId = message.id;
    payload = {
      ...base,
      type: InteractionType.MessageComponent,
      data: { custom_id: spec.customId, component_type: ComponentType.Button },
      message,
    };
  }
  state.interactions.set(record.id, record);
  events.dispatch(GatewayDispatchEvents.InteractionCreate, payload, { guildId: guild.id });
  return record;
}

function defaultChannelId(guild: GuildRecord): string {
  if (guild.systemChannelId) return guild.systemChannelId;
  const text = [...guild.channels.values()].find((c) => c.kind === 'text');
  if (!text) throw new Error(`fake discord: guild ${guild.id} has no text channel`);
  return text.id;
}

function simpleOptions(
  values: Record<string, CommandOptionValue>,
): APIApplicationCommandInteractionDataOption[] {
  return Object.entries(values).map(([name, value]): APIApplicationCommandInteractionDataOption => {
    if (typeof value === 'string')
      return { name, type: ApplicationCommandOptionType.String, value };
    if (typeof value === 'boolean')
      return { name, type: ApplicationCommandOptionType.Boolean, value };
    return Number.isInteger(value)
      ? { name, type: ApplicationCommandOptionType.Integer, value }
      : { name, type: ApplicationCommandOptionType.Number, value };
  });
}

/** Discord attaches the full objects behind user, role, channel and mentionable options. */
function resolveOptions(
  world: FakeWorld,
  guild: GuildRecord,
  options: APIApplicationCommandInteractionDataOption[],
): APIInteractionDataResolved | undefined {
  const resolved: Required<
    Pick<APIInteractionDataResolved, 'users' | 'members' | 'roles' | 'channels'>
  > = {
    users: {},
    members: {},
    roles: {},
    channels: {},
  };
  let any = false;
  const visit = (list: APIApplicationCommandInteractionDataOption[]) => {
    for (const option of list) {
      if ('options' in option && option.options) visit(option.options);
      if (!('value' in option) || typeof option.value !== 'string') continue;
      const id = option.value;
      const user = world.state.users.get(id);
      const member = guild.members.get(id);
      const role = guild.roles.get(id);
      const channel = guild.channels.get(id);
      if (user) resolved.users[id] = apiUser(user);
      if (member) {
        const { user: _user, ...partial } = apiMember(world.state, member);
        resolved.members[id] = { ...partial, permissions: memberPermissions(guild, id).toString() };
      }
      if (role) resolved.roles[id] = apiRole(role);
      if (channel) {
        const { id: channelId, type, name } = apiChannel(guild, channel);
        resolved.channels[id] = {
          id: channelId,
          type,
          name,
          permissions: memberPermissions(guild, world.state.bot.id).toString(),
        };
      }
      any ||= Boolean(user ?? role ?? channel);
    }
  };
  visit(options);
  return any ? resolved : undefined;
}

function sourceMessage(world: FakeWorld, spec: ButtonSpec, channelId: string): APIMessage {
  if (spec.messageId) {
    const found = world.state.findMessage(spec.messageId);
    if (!found) throw new Error(`fake discord: no message ${spec.messageId} to press a button on`);
    return found;
  }
  // A bot message from before the test with just this button on it; kept so type 7 can edit it.
  return world.createMessage({
    channelId,
    author: world.state.bot,
    content: '',
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          { type: ComponentType.Button, style: 1, custom_id: spec.customId, label: spec.customId },
        ],
      },
    ],
    silent: true,
  });
}
