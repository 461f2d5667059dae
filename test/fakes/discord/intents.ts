/**
 * Gateway intents as Discord enforces them: a session only receives the events it asked for,
 * privileged intents must be enabled for the application, and without MESSAGE_CONTENT a bot
 * sees empty content on other people's guild messages. Forgetting an intent in the app must
 * break the e2e tests the way it would break production.
 */
import { ApplicationFlags, type APIMessage } from 'discord.js';

export const Intent = {
  Guilds: 1 << 0,
  GuildMembers: 1 << 1,
  GuildPresences: 1 << 8,
  GuildVoiceStates: 1 << 7,
  GuildMessages: 1 << 9,
  DirectMessages: 1 << 12,
  MessageContent: 1 << 15,
} as const;

export interface PrivilegedIntents {
  guildMembers: boolean;
  guildPresences: boolean;
  messageContent: boolean;
}

/** Privileged intents the session asked for but the application may not use. */
export function disallowedIntents(intents: number, allowed: PrivilegedIntents): number {
  let denied = 0;
  if (!allowed.guildMembers) denied |= intents & Intent.GuildMembers;
  if (!allowed.guildPresences) denied |= intents & Intent.GuildPresences;
  if (!allowed.messageContent) denied |= intents & Intent.MessageContent;
  return denied;
}

export function hasIntent(intents: number, intent: number): boolean {
  return (intents & intent) === intent;
}

/**
 * What a session may see of a message: content, embeds, attachments and components are blanked
 * without MESSAGE_CONTENT, except in DMs, for the bot's own messages and when it is mentioned.
 */
export function visibleMessage<T extends APIMessage>(
  message: T,
  intents: number,
  botId: string,
  isDm: boolean,
): T {
  const exempt =
    hasIntent(intents, Intent.MessageContent) ||
    isDm ||
    message.author.id === botId ||
    message.mentions.some((u) => u.id === botId);
  if (exempt) return message;
  return { ...message, content: '', embeds: [], attachments: [], components: [] };
}

/** Application flags as Discord reports them; bots in under 100 servers get the "limited"
 * flavour of each privileged intent they enabled. */
export function applicationFlagsFor(privileged: PrivilegedIntents): number {
  let flags = ApplicationFlags.ApplicationCommandBadge;
  if (privileged.guildMembers) flags |= ApplicationFlags.GatewayGuildMembersLimited;
  if (privileged.guildPresences) flags |= ApplicationFlags.GatewayPresenceLimited;
  if (privileged.messageContent) flags |= ApplicationFlags.GatewayMessageContentLimited;
  return flags;
}
