import { Message } from './message';
import { cardMessages } from './messages/cards.messages';
import { commonMessages } from './messages/common.messages';
import { discordMessages } from './messages/discord.messages';
import { errorMessages } from './messages/errors.messages';
import { telegramMessages } from './messages/telegram.messages';
import { xpRulesMessages } from './messages/xp-rules.messages';

export type { Message, MessageSet, PluralForms } from './message';

/**
 * One catalogue for both bots, assembled from one file per area under messages/ (common,
 * errors, telegram, discord...), so areas are edited independently. Russian is the source
 * language; the i18n spec checks that English has exactly the same keys.
 */
const areas = [
  commonMessages,
  errorMessages,
  telegramMessages,
  discordMessages,
  cardMessages,
  xpRulesMessages,
] as const;

type Area = (typeof areas)[number];
type KeysOf<A> = A extends { ru: infer R } ? keyof R : never;
export type MessageKey = KeysOf<Area> & string;

export const ru = Object.assign({}, ...areas.map((area) => area.ru)) as Record<MessageKey, Message>;
export const en = Object.assign({}, ...areas.map((area) => area.en)) as Record<MessageKey, Message>;
