import { MessageSet } from '../message';

/** Shared by both bots. */
export const commonMessages = {
  ru: {
    'common.unknownCommand': 'Не знаю такой команды. Список команд: /help',
    'common.internalError': 'Что-то пошло не так. Попробуй ещё раз чуть позже.',
    'common.tryLater': 'Слишком много попыток. Попробуй через {minutes} мин.',
    'common.xp': { one: '{count} XP', other: '{count} XP' },
    'common.coins': {
      one: '{count} монета',
      few: '{count} монеты',
      many: '{count} монет',
      other: '{count} монеты',
    },
    'common.minutes': {
      one: '{count} минута',
      few: '{count} минуты',
      many: '{count} минут',
      other: '{count} минуты',
    },
  },
  en: {
    'common.unknownCommand': "I don't know that command. The list of commands: /help",
    'common.internalError': 'Something went wrong. Please try again a bit later.',
    'common.tryLater': 'Too many attempts. Try again in {minutes} min.',
    'common.xp': { one: '{count} XP', other: '{count} XP' },
    'common.coins': { one: '{count} coin', other: '{count} coins' },
    'common.minutes': { one: '{count} minute', other: '{count} minutes' },
  },
} satisfies MessageSet;
