import type { Message, MessageEntity } from 'telegraf/types';
import { badRequest } from '../bot-api-error';
import { formatText, MAX_MESSAGE_LENGTH, type FormattedText } from '../formatted-text';
import { isRecord, type Params } from '../params';
import { readInlineKeyboard } from '../reply-markup';
import type { ChatRecord, InlineMessage } from '../state-store';
import { senderOf, textMessage } from '../update-builders';
import { unixSeconds, type MethodContext, type MethodHandler } from './method-context';

const NOT_MODIFIED =
  'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';

const CHAT_ACTIONS = new Set([
  'typing',
  'upload_photo',
  'record_video',
  'upload_video',
  'record_voice',
  'upload_voice',
  'upload_document',
  'choose_sticker',
  'find_location',
  'record_video_note',
  'upload_video_note',
]);

function isMessageEntity(value: unknown): value is MessageEntity {
  return (
    isRecord(value) &&
    typeof value.type === 'string' &&
    typeof value.offset === 'number' &&
    typeof value.length === 'number'
  );
}

/** The text a message ends up with, or the real API's 400 for empty, unparsable or oversized text. */
function readText(params: Params): FormattedText {
  const raw = params.string('text') ?? '';
  if (raw === '') throw badRequest('message text is empty');
  const entities = params.json('entities', "can't parse entities JSON object");
  if (entities !== undefined && (!Array.isArray(entities) || !entities.every(isMessageEntity))) {
    throw badRequest("can't parse entities JSON object");
  }
  const formatted = formatText(raw, params.string('parse_mode'), entities);
  if (formatted.text === '') throw badRequest('message text is empty');
  if (formatted.text.length > MAX_MESSAGE_LENGTH) throw badRequest('message is too long');
  return formatted;
}

function readMarkup(params: Params): Message.TextMessage['reply_markup'] {
  return readInlineKeyboard(
    params.json('reply_markup', "can't parse reply keyboard markup JSON object"),
  );
}

/** reply_parameters (Bot API 7) or the older reply_to_message_id; both may allow a missing target. */
function readReplyTarget(params: Params, record: ChatRecord): Message.TextMessage | undefined {
  const replyParameters = params.json(
    'reply_parameters',
    "can't parse reply parameters JSON object",
  );
  let messageId = params.integer('reply_to_message_id');
  let allowMissing = params.boolean('allow_sending_without_reply') ?? false;
  if (replyParameters !== undefined) {
    if (!isRecord(replyParameters) || typeof replyParameters.message_id !== 'number') {
      throw badRequest("can't parse reply parameters JSON object");
    }
    messageId = replyParameters.message_id;
    allowMissing = replyParameters.allow_sending_without_reply === true;
  }
  if (messageId === undefined) return undefined;
  const target = record.messages.get(messageId);
  if (!target && !allowMissing) throw badRequest('message to be replied not found');
  return target;
}

const sendMessage: MethodHandler = (params, context) => {
  const chatId = params.chatId();
  const formatted = readText(params);
  const replyMarkup = readMarkup(params);
  const record = context.store.resolveChat(chatId);
  const replyTo = readReplyTarget(params, record);
  context.store.assertCanWrite(record);
  return context.store.addMessage(record, (message_id) =>
    textMessage({
      message_id,
      date: unixSeconds(context),
      from: senderOf(context.store.bot),
      chat: record.chat,
      text: formatted.text,
      entities: formatted.entities,
      reply_to_message: replyTo,
      reply_markup: replyMarkup,
    }),
  );
};

type EditTarget =
  { kind: 'chat'; message: Message.TextMessage } | { kind: 'inline'; message: InlineMessage };

/** A message is named by chat_id + message_id, or by inline_message_id for inline-mode messages. */
function findEditTarget(params: Params, context: MethodContext): EditTarget {
  const inlineId = params.string('inline_message_id');
  if (inlineId !== undefined) {
    const message = context.store.inlineMessage(inlineId);
    if (!message) throw badRequest('MESSAGE_ID_INVALID');
    return { kind: 'inline', message };
  }
  const chatId = params.chatId();
  const messageId = params.integer('message_id');
  if (messageId === undefined) throw badRequest('message identifier is not specified');
  const record = context.store.resolveChat(chatId);
  const message = record.messages.get(messageId);
  if (!message) throw badRequest('message to edit not found');
  if (message.from?.id !== context.store.bot.id) throw badRequest("message can't be edited");
  return { kind: 'chat', message };
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function sameEntities(a: MessageEntity[] | undefined, b: MessageEntity[] | undefined): boolean {
  return sameJson(a?.length ? a : undefined, b?.length ? b : undefined);
}

/** Edits answer with the edited Message, or `true` for inline messages (Bot API rule). */
function editResult(target: EditTarget): unknown {
  return target.kind === 'chat' ? target.message : true;
}

const editMessageText: MethodHandler = (params, context) => {
  const formatted = readText(params);
  const replyMarkup = readMarkup(params);
  const target = findEditTarget(params, context);
  const { message } = target;
  if (
    message.text === formatted.text &&
    sameEntities(message.entities, formatted.entities) &&
    sameJson(message.reply_markup, replyMarkup)
  ) {
    throw badRequest(NOT_MODIFIED);
  }
  message.text = formatted.text;
  message.entities = formatted.entities.length > 0 ? formatted.entities : undefined;
  // Omitting reply_markup in an edit removes the keyboard, as on the real API.
  message.reply_markup = replyMarkup;
  if (target.kind === 'chat') target.message.edit_date = unixSeconds(context);
  return editResult(target);
};

const editMessageReplyMarkup: MethodHandler = (params, context) => {
  const replyMarkup = readMarkup(params);
  const target = findEditTarget(params, context);
  if (sameJson(target.message.reply_markup, replyMarkup)) throw badRequest(NOT_MODIFIED);
  target.message.reply_markup = replyMarkup;
  return editResult(target);
};

const deleteMessage: MethodHandler = (params, context) => {
  const chatId = params.chatId();
  const messageId = params.integer('message_id');
  if (messageId === undefined) throw badRequest('message identifier is not specified');
  const record = context.store.resolveChat(chatId);
  if (!context.store.removeMessage(record.chat.id, messageId)) {
    throw badRequest('message to delete not found');
  }
  return true;
};

const sendChatAction: MethodHandler = (params, context) => {
  const chatId = params.chatId();
  const action = params.string('action');
  if (action === undefined || !CHAT_ACTIONS.has(action)) {
    throw badRequest('wrong parameter action in request');
  }
  const record = context.store.resolveChat(chatId);
  context.store.assertCanWrite(record);
  return true;
};

const getChat: MethodHandler = (params, context) => {
  const { chat } = context.store.resolveChat(params.chatId());
  // getChat returns a ChatFullInfo; these two fields are always present in it.
  return { ...chat, accent_color_id: 0, max_reaction_count: 11 };
};

export const MESSAGE_METHODS: Record<string, MethodHandler> = {
  sendMessage,
  editMessageText,
  editMessageReplyMarkup,
  deleteMessage,
  sendChatAction,
  getChat,
};
