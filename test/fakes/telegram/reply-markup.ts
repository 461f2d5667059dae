import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'telegraf/types';
import { badRequest } from './bot-api-error';
import { isRecord } from './params';

const MAX_CALLBACK_DATA_BYTES = 64;

/**
 * Reads `reply_markup` the way the real API does and returns the inline keyboard the message will
 * carry (reply keyboards, force_reply and remove_keyboard are accepted but never appear on a message).
 * Buttons are normalized to their Bot API fields, so telegraf's extra `hide: false` disappears and
 * "message is not modified" compares what Telegram would compare.
 */
export function readInlineKeyboard(markup: unknown): InlineKeyboardMarkup | undefined {
  if (markup === undefined) return undefined;
  if (!isRecord(markup)) throw badRequest("can't parse reply keyboard markup JSON object");
  if (markup.inline_keyboard === undefined) {
    if ('keyboard' in markup || 'remove_keyboard' in markup || 'force_reply' in markup)
      return undefined;
    throw badRequest("can't parse reply keyboard markup JSON object");
  }
  const rows = markup.inline_keyboard;
  if (!Array.isArray(rows)) {
    throw badRequest(
      'can\'t parse inline keyboard button: Field "inline_keyboard" must be of type Array',
    );
  }
  const inline_keyboard = rows.map((row: unknown) => {
    if (!Array.isArray(row)) {
      throw badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Array");
    }
    return row.map((button: unknown) => readButton(button));
  });
  return { inline_keyboard };
}

function readButton(button: unknown): InlineKeyboardButton {
  if (!isRecord(button)) {
    throw badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
  }
  const { text } = button;
  if (typeof text !== 'string') {
    throw badRequest('can\'t parse inline keyboard button: Field "text" must be of type String');
  }
  if (text.trim() === '') throw badRequest('BUTTON_TEXT_EMPTY');
  if (button.callback_data !== undefined) {
    const data = button.callback_data;
    if (
      typeof data !== 'string' ||
      data === '' ||
      Buffer.byteLength(data) > MAX_CALLBACK_DATA_BYTES
    ) {
      throw badRequest('BUTTON_DATA_INVALID');
    }
    return { text, callback_data: data };
  }
  if (button.url !== undefined) {
    if (typeof button.url !== 'string' || button.url === '') throw badRequest('BUTTON_URL_INVALID');
    return { text, url: button.url };
  }
  if (isRecord(button.login_url) && typeof button.login_url.url === 'string') {
    // The real API shows login_url buttons as ordinary url buttons on the message.
    return { text, url: button.login_url.url };
  }
  if (isRecord(button.web_app) && typeof button.web_app.url === 'string') {
    return { text, web_app: { url: button.web_app.url } };
  }
  if (typeof button.switch_inline_query === 'string') {
    return { text, switch_inline_query: button.switch_inline_query };
  }
  if (typeof button.switch_inline_query_current_chat === 'string') {
    return { text, switch_inline_query_current_chat: button.switch_inline_query_current_chat };
  }
  const kind = Object.keys(button).find((key) => key !== 'text' && key !== 'hide');
  if (kind !== undefined) {
    // Accepted by the real API but not modelled here: say so rather than pretend.
    throw badRequest(`fake Telegram does not support inline button field "${kind}"`);
  }
  throw badRequest(
    "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
  );
}

export function callbackDataOf(markup: InlineKeyboardMarkup | undefined): string[] {
  return (markup?.inline_keyboard ?? [])
    .flat()
    .flatMap((button) => ('callback_data' in button ? [button.callback_data] : []));
}
