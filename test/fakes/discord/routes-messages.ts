/**
 * Channels, channel messages and DMs. A DM goes out in two steps on Discord (open the DM
 * channel, then post to it) and fails with 50007 when the user does not accept DMs from the bot:
 * they closed them, they are a bot, or they share no guild with it any more.
 */
import { DiscordErrors, DiscordHttpError } from './discord-errors';
import { asRecord, optionalString } from './json';
import { apiChannel, apiDmChannel } from './payloads';
import { messageContent, requireNonEmpty, type RouteContext } from './route-context';
import { noContent, ok, type RestRouter } from './rest-router';
import type { ChannelLocation } from './state';
import type { APIMessage } from 'discord.js';

export function registerMessageRoutes(router: RestRouter, ctx: RouteContext): void {
  const { world } = ctx;
  const { state } = world;

  const channelOr404 = (channelId: string): ChannelLocation => {
    const location = state.locateChannel(channelId);
    if (!location) throw DiscordErrors.unknownChannel();
    return location;
  };
  const messageOr404 = (channelId: string, messageId: string) => {
    const message = state.channelMessages(channelId).find((m) => m.id === messageId);
    if (!message) throw DiscordErrors.unknownMessage();
    return message;
  };

  router
    .post('/users/@me/channels', ({ body }) => {
      const recipientId = optionalString(asRecord(body).recipient_id);
      if (recipientId === undefined)
        throw DiscordErrors.invalidForm('recipient_id', 'This field is required');
      const user = state.users.get(recipientId);
      if (!user) throw DiscordErrors.unknownUser();
      let channelId = state.dmChannels.get(recipientId);
      if (!channelId) {
        channelId = world.ids.next();
        state.dmChannels.set(recipientId, channelId);
      }
      return ok(apiDmChannel(channelId, user));
    })
    .get('/channels/:channelId', ({ params }) => {
      const location = channelOr404(params.channelId!);
      if (location.kind === 'guild') return ok(apiChannel(location.guild, location.channel));
      return ok(apiDmChannel(params.channelId!, state.requireUser(location.userId)));
    })
    .get('/channels/:channelId/messages', ({ params, query }) => {
      channelOr404(params.channelId!);
      const limit = Math.min(100, Math.max(1, Number(query.get('limit') ?? '50')));
      // Newest first, like the API.
      return ok([...state.channelMessages(params.channelId!)].reverse().slice(0, limit));
    })
    .post('/channels/:channelId/messages', ({ params, body, files }) => {
      const location = channelOr404(params.channelId!);
      if (location.kind === 'dm') checkDmAllowed(ctx, location.userId);
      const content = messageContent(body);
      requireNonEmpty(content, files);
      const create = () =>
        world.createMessage({ ...content, channelId: params.channelId!, author: state.bot });
      return ok(withEnforcedNonce(ctx, body, create));
    })
    .get('/channels/:channelId/messages/:messageId', ({ params }) => {
      channelOr404(params.channelId!);
      return ok(messageOr404(params.channelId!, params.messageId!));
    })
    .patch('/channels/:channelId/messages/:messageId', ({ params, body }) => {
      channelOr404(params.channelId!);
      const message = messageOr404(params.channelId!, params.messageId!);
      if (message.author.id !== state.bot.id) {
        throw new DiscordHttpError(403, 50005, 'Cannot edit a message authored by another user');
      }
      return ok(world.updateMessage(message, messageContent(body)));
    })
    .delete('/channels/:channelId/messages/:messageId', ({ params }) => {
      channelOr404(params.channelId!);
      world.deleteMessage(messageOr404(params.channelId!, params.messageId!));
      return noContent();
    });
}

/**
 * `enforce_nonce: true` with a nonce: a create repeated by the same author within the window
 * returns the first message and creates nothing (how a client's retry after a lost answer stays
 * one message). Without it, a nonce is only echoed and every create is a new message.
 */
function withEnforcedNonce(ctx: RouteContext, body: unknown, create: () => APIMessage): APIMessage {
  const { nonce, enforce_nonce: enforce } = asRecord(body);
  if (typeof nonce !== 'string' && typeof nonce !== 'number') return create();
  if (String(nonce).length > 25)
    throw DiscordErrors.invalidForm('nonce', 'Must be 25 or fewer in length.');
  const { nonces, createdByNonce, bot } = ctx.world.state;
  const key = `${bot.id}:${String(nonce)}`;
  const now = Date.now();
  const seen = nonces.get(key);
  if (enforce === true && seen && now - seen.at < ctx.nonceWindowMs) return seen.message;
  const message = { ...create(), nonce };
  createdByNonce.set(key, (createdByNonce.get(key) ?? 0) + 1);
  if (enforce === true) nonces.set(key, { message, at: now });
  return message;
}

function checkDmAllowed(ctx: RouteContext, userId: string): void {
  const { state } = ctx.world;
  const user = state.requireUser(userId);
  const sharesGuild = state.guildOf(userId) !== undefined;
  if (state.closedDms.has(userId) || user.bot === true || !sharesGuild)
    throw DiscordErrors.cannotSendToUser();
}
