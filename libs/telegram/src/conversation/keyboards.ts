import { Markup } from 'telegraf';
import type { ExtraReplyMessage } from 'telegraf/typings/telegram-types';

/**
 * The persistent menu under the input field. Its buttons are the commands themselves, so a press
 * is an ordinary command message (Telegram marks it as a bot_command) in any language.
 */
export function mainMenu(): ExtraReplyMessage {
  return Markup.keyboard([
    ['/profile', '/games'],
    ['/daily', '/top'],
  ]).resize();
}
