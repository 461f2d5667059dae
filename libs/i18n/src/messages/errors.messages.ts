import { MessageSet } from '../message';

/**
 * A player-facing message per domain error code (`error.<CODE>`), shared by both bots. Each bot
 * maps codes to these keys with an exhaustive switch, so a new code fails lint until it is here.
 */
export const errorMessages = {
  ru: {
    // economy
    'error.ACCOUNT_NOT_FOUND': 'Профиль не найден. Напиши /start.',
    'error.INVALID_AMOUNT': 'Неверная сумма.',
    'error.AMOUNT_TOO_LARGE': 'Слишком большая сумма.',
    'error.INSUFFICIENT_COINS': 'Не хватает монет.',
    'error.XP_BELOW_ZERO': 'XP не может стать меньше нуля.',
    'error.INVALID_IDEMPOTENCY_KEY': 'Не получилось выполнить операцию. Попробуй ещё раз.',
    'error.SEASON_NOT_FOUND': 'Сейчас нет открытого сезона.',
    'error.INVALID_CURSOR': 'Список устарел, открой его заново.',
    'error.IDEMPOTENCY_KEY_REUSED':
      'Этот ключ повтора уже использован для другого запроса. Возьми новый ключ.',
    // linking
    'error.LINK_CODE_INVALID': 'Такого кода нет. Проверь код и попробуй ещё раз.',
    'error.LINK_CODE_EXPIRED': 'Срок действия кода истёк. Получи новый: /link в Discord.',
    'error.LINK_CODE_USED': 'Этот код уже использован. Получи новый.',
    'error.LINK_TOO_MANY_ATTEMPTS': 'Слишком много неверных кодов. Попробуй через {minutes} мин.',
    'error.LINK_SELF': 'Этот код выдан тобой же: введи его в Discord, а не здесь.',
    'error.LINK_SAME_PLATFORM': 'Этот код нужно ввести в Discord.',
    'error.LINK_ALREADY_LINKED': 'Аккаунт уже связан с Discord. Сначала /unlink.',
    'error.LINK_NOT_LINKED': 'Discord не связан с этим профилем.',
    'error.IDENTITY_UNKNOWN': 'Я тебя ещё не знаю. Напиши /start.',
    // games
    'error.GAME_NOT_FOUND': 'Такой игры нет. Начни новую: /games',
    'error.GAME_FINISHED': 'Эта игра уже закончилась, ответ уже засчитан. Новая: /games',
    'error.INVALID_GUESS': 'Нужно целое число от {min} до {max}. Попытка не потрачена.',
    'error.INVALID_ANSWER': 'Такого варианта нет.',
    'error.ALREADY_SPUN': 'Колесо уже крутилось сегодня. Следующая попытка: {time}.',
    'error.ALREADY_CLAIMED': 'Награда дня уже получена (серия: {streak}). Следующая: {time}.',
  },
  en: {
    'error.ACCOUNT_NOT_FOUND': 'Profile not found. Send /start.',
    'error.INVALID_AMOUNT': 'Invalid amount.',
    'error.AMOUNT_TOO_LARGE': 'The amount is too large.',
    'error.INSUFFICIENT_COINS': 'Not enough coins.',
    'error.XP_BELOW_ZERO': 'XP cannot go below zero.',
    'error.INVALID_IDEMPOTENCY_KEY': 'That did not work. Please try again.',
    'error.SEASON_NOT_FOUND': 'There is no open season right now.',
    'error.INVALID_CURSOR': 'The list is out of date; open it again.',
    'error.IDEMPOTENCY_KEY_REUSED':
      'This Idempotency-Key was already used for a different request; use a new key.',
    'error.LINK_CODE_INVALID': 'There is no such code. Check it and try again.',
    'error.LINK_CODE_EXPIRED': 'The code has expired. Get a new one: /link in Discord.',
    'error.LINK_CODE_USED': 'This code was already used. Get a new one.',
    'error.LINK_TOO_MANY_ATTEMPTS': 'Too many wrong codes. Try again in {minutes} min.',
    'error.LINK_SELF': 'You issued this code yourself: enter it in Discord, not here.',
    'error.LINK_SAME_PLATFORM': 'This code must be entered in Discord.',
    'error.LINK_ALREADY_LINKED': 'The account is already linked to Discord. /unlink first.',
    'error.LINK_NOT_LINKED': 'No Discord account is linked to this profile.',
    'error.IDENTITY_UNKNOWN': "I don't know you yet. Send /start.",
    'error.GAME_NOT_FOUND': 'There is no such game. Start a new one: /games',
    'error.GAME_FINISHED': 'This game is over; the answer was already counted. New one: /games',
    'error.INVALID_GUESS': 'I need a whole number from {min} to {max}. No try used.',
    'error.INVALID_ANSWER': 'There is no such option.',
    'error.ALREADY_SPUN': 'The wheel was already spun today. Next spin: {time}.',
    'error.ALREADY_CLAIMED':
      "Today's reward is already claimed (streak: {streak}). Next one: {time}.",
  },
} satisfies MessageSet;
