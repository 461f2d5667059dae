import type {
  CallbackQuery,
  Chat,
  Message,
  MessageEntity,
  User,
  UserFromGetMe,
} from 'telegraf/types';
import type { FakeUser } from './fake-telegram.types';

/** Builders for the objects Telegram puts in updates and responses, so every place shapes them alike. */

export function botUserFromToken(
  token: string,
  username: string,
  firstName: string,
): UserFromGetMe {
  // A real token starts with the bot's user id ("123456:ABC..."), and getMe reports that id.
  const id = Number(/^(\d+):/.exec(token)?.[1] ?? 1);
  return {
    id,
    is_bot: true,
    first_name: firstName,
    username,
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
  };
}

/** How the bot appears as a message's `from`: a plain User, without getMe's capability fields. */
export function senderOf(bot: UserFromGetMe): User {
  return { id: bot.id, is_bot: true, first_name: bot.first_name, username: bot.username };
}

export function userOf(user: FakeUser): User {
  return { ...user, is_bot: false };
}

/** In a private chat with a bot, the chat id is the user's id. */
export function privateChatOf(user: FakeUser): Chat.PrivateChat {
  return {
    id: user.id,
    type: 'private',
    first_name: user.first_name,
    ...(user.last_name !== undefined ? { last_name: user.last_name } : {}),
    ...(user.username !== undefined ? { username: user.username } : {}),
  };
}

const COMMAND = /(^|\s)(\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?)(?=\s|$)/g;

/**
 * Telegram marks every `/command` (optionally `@botname`) that starts a word with a bot_command
 * entity; telegraf's `bot.command()` only matches when such an entity sits at offset 0.
 */
export function commandEntities(text: string): MessageEntity[] {
  return [...text.matchAll(COMMAND)].map((match) => ({
    type: 'bot_command' as const,
    offset: (match.index ?? 0) + match[1].length,
    length: match[2].length,
  }));
}

export interface TextMessageFields {
  message_id: number;
  date: number;
  from: User;
  chat: Chat;
  text: string;
  entities?: MessageEntity[];
  reply_to_message?: Message.TextMessage;
  reply_markup?: Message.TextMessage['reply_markup'];
}

export function textMessage(fields: TextMessageFields): Message.TextMessage {
  const { entities, reply_to_message, reply_markup, ...rest } = fields;
  return {
    ...rest,
    ...(entities !== undefined && entities.length > 0 ? { entities } : {}),
    // A replied-to message never carries its own reply_to_message (Bot API rule).
    ...(reply_to_message
      ? { reply_to_message: { ...reply_to_message, reply_to_message: undefined } }
      : {}),
    ...(reply_markup ? { reply_markup } : {}),
  };
}

/**
 * chat_instance identifies the chat a button was pressed in without revealing it; stable per chat and
 * bot, as in the real API.
 */
export function chatInstanceOf(chatId: number, botId: number): string {
  return String(-(Math.abs(chatId) * 1009 + (botId % 1009) + 1));
}

export function callbackQuery(fields: {
  id: string;
  from: User;
  message: Message.TextMessage;
  data: string;
  botId: number;
}): CallbackQuery.DataQuery {
  return {
    id: fields.id,
    from: fields.from,
    message: fields.message,
    chat_instance: chatInstanceOf(fields.message.chat.id, fields.botId),
    data: fields.data,
  };
}
