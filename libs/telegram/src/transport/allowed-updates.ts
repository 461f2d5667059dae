import type { UpdateType } from 'telegraf/typings/telegram-types';

/** The only update kinds the bot handles; Telegram does not even create the others for us. */
export const ALLOWED_UPDATES: UpdateType[] = ['message', 'callback_query'];
