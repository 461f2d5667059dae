/**
 * What route handlers share, and the lookups every route does first (guild, member, message
 * body) with the error Discord answers when they fail.
 */
import type { APIEmbed, APIMessageTopLevelComponent } from 'discord.js';
import { DiscordErrors } from './discord-errors';
import { asRecord, optionalNumber, optionalString, recordArray } from './json';
import type { GuildRecord, MemberRecord } from './state';
import type { MessageContent, FakeWorld } from './world';

export interface RouteContext {
  world: FakeWorld;
  gatewayUrl: () => string;
  identifyCount: () => number;
  applicationFlags: number;
  /** How long an interaction may wait for its first callback (Discord: 3 seconds). */
  interactionTimeoutMs: number;
  /** How long Discord remembers an enforced message nonce per author (a few minutes). */
  nonceWindowMs: number;
}

export function guildOr404(ctx: RouteContext, guildId: string): GuildRecord {
  const guild = ctx.world.state.guilds.get(guildId);
  if (!guild) throw DiscordErrors.unknownGuild();
  return guild;
}

/** `@me` means the bot, as in the real paths `/guilds/{id}/members/@me`. */
export function memberOr404(ctx: RouteContext, guild: GuildRecord, userId: string): MemberRecord {
  const id = userId === '@me' ? ctx.world.state.bot.id : userId;
  const member = guild.members.get(id);
  if (!member) throw DiscordErrors.unknownMember();
  return member;
}

export function applicationOr403(ctx: RouteContext, applicationId: string): void {
  if (applicationId !== ctx.world.applicationId) throw DiscordErrors.missingAccess();
}

/** A message body as the app sent it, checked against Discord's limits. */
export function messageContent(body: unknown): MessageContent {
  const b = asRecord(body);
  const content = optionalString(b.content);
  if (content !== undefined && content.length > 2000) {
    throw DiscordErrors.invalidForm('content', 'Must be 2000 or fewer in length.');
  }
  // Embeds and components are stored as the app sent them; the fake does not interpret them.
  const embeds = Array.isArray(b.embeds) ? (recordArray(b.embeds) as APIEmbed[]) : undefined;
  if (embeds && embeds.length > 10)
    throw DiscordErrors.invalidForm('embeds', 'Must be 10 or fewer in length.');
  const components = Array.isArray(b.components)
    ? (recordArray(b.components) as unknown as APIMessageTopLevelComponent[])
    : undefined;
  const flags = optionalNumber(b.flags);
  return {
    ...(content !== undefined ? { content } : {}),
    ...(embeds !== undefined ? { embeds } : {}),
    ...(components !== undefined ? { components } : {}),
    ...(flags !== undefined ? { flags } : {}),
  };
}

export function requireNonEmpty(message: MessageContent, files: string[]): void {
  const empty =
    !message.content &&
    (message.embeds ?? []).length === 0 &&
    (message.components ?? []).length === 0 &&
    files.length === 0;
  if (empty) throw DiscordErrors.emptyMessage();
}
