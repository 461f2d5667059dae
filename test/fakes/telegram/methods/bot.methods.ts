import type { BotCommand } from 'telegraf/types';
import { badRequest } from '../bot-api-error';
import { isRecord, type Params } from '../params';
import type { MethodHandler } from './method-context';

const SCOPES_WITH_CHAT = new Set(['chat', 'chat_administrators', 'chat_member']);
const SCOPES = new Set([
  'default',
  'all_private_chats',
  'all_group_chats',
  'all_chat_administrators',
  ...SCOPES_WITH_CHAT,
]);
const COMMAND_NAME = /^[a-z0-9_]{1,32}$/;

/**
 * Commands are stored per (scope, language_code), and getMyCommands answers for exactly that pair
 * without falling back, like the real API.
 */
export function commandsKey(scope: unknown, languageCode: string | undefined): string {
  const { type, chat_id, user_id } = isRecord(scope) ? scope : { type: 'default' };
  if (typeof type !== 'string' || !SCOPES.has(type))
    throw badRequest("can't parse BotCommandScope JSON object");
  if (SCOPES_WITH_CHAT.has(type) && chat_id === undefined) throw badRequest('chat_id is empty');
  if (type === 'chat_member' && user_id === undefined) throw badRequest('user_id is empty');
  const language = languageCode ?? '';
  if (language !== '' && !/^[a-z]{2}$/.test(language))
    throw badRequest('invalid language code specified');
  return JSON.stringify([type, chat_id ?? null, user_id ?? null, language]);
}

function keyOf(params: Params): string {
  return commandsKey(
    params.json('scope', "can't parse BotCommandScope JSON object"),
    params.string('language_code'),
  );
}

function readCommands(params: Params): BotCommand[] {
  const commands = params.json('commands', "can't parse commands JSON array");
  if (commands === undefined) throw badRequest('parameter "commands" is required');
  if (!Array.isArray(commands)) throw badRequest("can't parse commands JSON array");
  if (commands.length > 100) throw badRequest('too many commands specified');
  return commands.map((command: unknown) => {
    if (
      !isRecord(command) ||
      typeof command.command !== 'string' ||
      typeof command.description !== 'string'
    ) {
      throw badRequest("can't parse BotCommand JSON object");
    }
    if (!COMMAND_NAME.test(command.command)) throw badRequest('BOT_COMMAND_INVALID');
    const description = command.description.trim();
    if (description === '' || description.length > 256)
      throw badRequest('BOT_COMMAND_DESCRIPTION_INVALID');
    return { command: command.command, description };
  });
}

const getMe: MethodHandler = (_params, context) => context.store.bot;

const setMyCommands: MethodHandler = (params, context) => {
  const commands = readCommands(params);
  // An empty list deletes the scope's commands, as deleteMyCommands does.
  context.store.setCommands(keyOf(params), commands.length > 0 ? commands : undefined);
  return true;
};

const getMyCommands: MethodHandler = (params, context) =>
  context.store.commandsFor(keyOf(params)) ?? [];

const deleteMyCommands: MethodHandler = (params, context) => {
  context.store.setCommands(keyOf(params), undefined);
  return true;
};

const answerCallbackQuery: MethodHandler = (params, context) => {
  const id = params.requiredString('callback_query_id', 'query_id is empty');
  const text = params.string('text');
  if (text !== undefined && text.length > 200) throw badRequest('MESSAGE_TOO_LONG');
  if (!context.store.closeCallbackQuery(id)) {
    throw badRequest('query is too old and response timeout expired or query ID is invalid');
  }
  const showAlert = params.boolean('show_alert');
  const url = params.string('url');
  const cacheTime = params.integer('cache_time');
  context.store.answeredCallbacks.push({
    callback_query_id: id,
    ...(text !== undefined ? { text } : {}),
    ...(showAlert !== undefined ? { show_alert: showAlert } : {}),
    ...(url !== undefined ? { url } : {}),
    ...(cacheTime !== undefined ? { cache_time: cacheTime } : {}),
    at: context.now(),
  });
  return true;
};

export const BOT_METHODS: Record<string, MethodHandler> = {
  getMe,
  setMyCommands,
  getMyCommands,
  deleteMyCommands,
  answerCallbackQuery,
};
