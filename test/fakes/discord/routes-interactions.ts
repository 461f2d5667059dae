/**
 * Answers to interactions: the callback (once, within the deadline) and then the interaction
 * webhook (`/webhooks/{application}/{token}`) for edits of @original and follow-ups. Neither
 * needs the bot token; discord.js sends them with `auth: false`.
 *
 * Discord rules kept here because the app's command handlers depend on them: a second callback
 * is refused (40060), a late first callback finds the interaction gone (10062), a deferred reply
 * is a "thinking..." message until edited, and the first follow-up after a deferral replaces
 * that loading message instead of posting a new one.
 */
import {
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  MessageType,
  type APIMessage,
  type APIMessageInteractionMetadata,
} from 'discord.js';
import { DiscordErrors } from './discord-errors';
import { asRecord, optionalNumber } from './json';
import { apiUser } from './payloads';
import { messageContent, requireNonEmpty, type RouteContext } from './route-context';
import { noContent, ok, type RestRouter, type RestResponse } from './rest-router';
import type { InteractionRecord } from './state';
import type { InteractionReply, JsonObject } from './types';
import type { MessageContent } from './world';

export function registerInteractionRoutes(router: RestRouter, ctx: RouteContext): void {
  const { world } = ctx;
  const { state } = world;
  const tokenRoute = { auth: false } as const;

  const byWebhook = (params: Record<string, string>): InteractionRecord => {
    const record = state.interactionByToken(params.webhookToken!);
    if (params.webhookId !== world.applicationId || !record || record.callbackType === null) {
      throw DiscordErrors.unknownWebhook();
    }
    return record;
  };
  const webhookMessage = (record: InteractionRecord, messageId: string): APIMessage => {
    const id = messageId === '@original' ? record.originalId : messageId;
    const owned =
      id !== null && (id === record.originalId || record.replies.some((r) => r.message?.id === id));
    const message = owned ? state.findMessage(id) : undefined;
    if (!message) throw DiscordErrors.unknownMessage();
    return message;
  };
  const log = (record: InteractionRecord, reply: Omit<InteractionReply, 'at'>) => {
    record.replies.push({ ...reply, at: Date.now() });
  };

  router
    .post(
      '/interactions/:interactionId/:interactionToken/callback',
      ({ params, body, files, query }) => {
        const record = state.interactions.get(params.interactionId!);
        if (!record || record.token !== params.interactionToken)
          throw DiscordErrors.unknownInteraction();
        if (record.callbackType !== null) throw DiscordErrors.alreadyAcknowledged();
        if (Date.now() - record.createdAt > ctx.interactionTimeoutMs)
          throw DiscordErrors.unknownInteraction();

        const callback = asRecord(body);
        const type = optionalNumber(callback.type);
        const data = asRecord(callback.data);
        let message: APIMessage | undefined;
        switch (type) {
          case InteractionResponseType.ChannelMessageWithSource: {
            const content = messageContent(data);
            requireNonEmpty(content, files);
            message = createResponse(ctx, record, content);
            record.originalId = message.id;
            break;
          }
          case InteractionResponseType.DeferredChannelMessageWithSource: {
            const ephemeral = (optionalNumber(data.flags) ?? 0) & MessageFlags.Ephemeral;
            message = createResponse(ctx, record, {
              content: '',
              flags: MessageFlags.Loading | ephemeral,
            });
            record.originalId = message.id;
            break;
          }
          case InteractionResponseType.DeferredMessageUpdate:
          case InteractionResponseType.UpdateMessage: {
            const source = record.sourceMessageId
              ? state.findMessage(record.sourceMessageId)
              : undefined;
            if (record.kind !== 'component' || !source) {
              throw DiscordErrors.invalidForm(
                'type',
                'Interaction callback type is not valid for this interaction',
              );
            }
            if (type === InteractionResponseType.UpdateMessage)
              message = world.updateMessage(source, messageContent(data));
            break;
          }
          case InteractionResponseType.Modal:
            break;
          default:
            throw DiscordErrors.invalidForm(
              'type',
              `Unsupported interaction callback type ${String(callback.type)}`,
            );
        }
        record.callbackType = type;
        log(record, {
          kind: 'callback',
          callbackType: type,
          data,
          ...(message ? { message } : {}),
        });
        if (query.get('with_response') !== 'true') return noContent();
        return ok({
          interaction: {
            id: record.id,
            type:
              record.kind === 'command'
                ? InteractionType.ApplicationCommand
                : InteractionType.MessageComponent,
            ...(message
              ? {
                  response_message_id: message.id,
                  response_message_loading: ((message.flags ?? 0) & MessageFlags.Loading) !== 0,
                  response_message_ephemeral: ((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0,
                }
              : {}),
          },
          resource: { type, ...(message ? { message } : {}) },
        });
      },
      { auth: false, rateLimited: false },
    )
    .post(
      '/webhooks/:webhookId/:webhookToken',
      ({ params, body, files, query }): RestResponse => {
        const record = byWebhook(params);
        const content = messageContent(body);
        requireNonEmpty(content, files);
        const original = record.originalId ? state.findMessage(record.originalId) : undefined;
        const loading =
          original !== undefined && ((original.flags ?? 0) & MessageFlags.Loading) !== 0;
        // After a deferral the first follow-up fills the "thinking..." message (Discord does this).
        const message = loading
          ? world.updateMessage(original, content)
          : createResponse(ctx, record, content);
        log(record, { kind: 'followup', data: asRecord(body), message });
        return query.get('wait') === 'true' ? ok(message) : noContent();
      },
      tokenRoute,
    )
    .get(
      '/webhooks/:webhookId/:webhookToken/messages/:messageId',
      ({ params }) => {
        const record = byWebhook(params);
        return ok(webhookMessage(record, params.messageId!));
      },
      tokenRoute,
    )
    .patch(
      '/webhooks/:webhookId/:webhookToken/messages/:messageId',
      ({ params, body }) => {
        const record = byWebhook(params);
        const message = world.updateMessage(
          webhookMessage(record, params.messageId!),
          messageContent(body),
        );
        log(record, { kind: 'edit', data: asRecord(body), message });
        return ok(message);
      },
      tokenRoute,
    )
    .delete(
      '/webhooks/:webhookId/:webhookToken/messages/:messageId',
      ({ params }) => {
        const record = byWebhook(params);
        const message = webhookMessage(record, params.messageId!);
        world.deleteMessage(message);
        log(record, { kind: 'delete', data: {} as JsonObject, message });
        return noContent();
      },
      tokenRoute,
    );
}

/** A message sent in answer to an interaction: authored by the bot through the app's webhook. */
function createResponse(
  ctx: RouteContext,
  record: InteractionRecord,
  content: MessageContent,
): APIMessage {
  const { world } = ctx;
  const user = apiUser(world.state.requireUser(record.userId));
  const owners = { '0': record.guildId };
  const metadata: APIMessageInteractionMetadata =
    record.kind === 'command'
      ? {
          id: record.id,
          type: InteractionType.ApplicationCommand,
          user,
          authorizing_integration_owners: owners,
        }
      : {
          id: record.id,
          type: InteractionType.MessageComponent,
          user,
          authorizing_integration_owners: owners,
          interacted_message_id: record.sourceMessageId ?? '',
        };
  return world.createMessage({
    ...content,
    channelId: record.channelId,
    author: world.state.bot,
    type: record.kind === 'command' ? MessageType.ChatInputCommand : MessageType.Default,
    webhookId: world.applicationId,
    applicationId: world.applicationId,
    interactionMetadata: metadata,
  });
}
