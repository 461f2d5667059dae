import { createHash, createHmac } from 'node:crypto';
import { ApiError } from '../errors/api.error';
import { secretsEqual } from './constant-time';

/** What the Telegram Login Widget hands the page (all values as strings or numbers). */
export type TelegramLoginData = Record<string, string | number | undefined>;

export interface TelegramLoginUser {
  telegramId: string;
  username?: string;
  displayName?: string;
}

export interface TelegramLoginRules {
  /** Widget data older than this is refused (Telegram's advice: a day). */
  maxAgeSeconds: number;
  /** Clocks differ a little; `auth_date` further in the future than this is refused. */
  futureSkewSeconds: number;
}

export const DEFAULT_LOGIN_RULES: TelegramLoginRules = {
  maxAgeSeconds: 86_400,
  futureSkewSeconds: 60,
};

/**
 * Verifies Login Widget data as Telegram documents it: the data-check-string is every field but
 * `hash` as `key=value`, sorted by key, joined with "\n"; the expected hash is
 * HMAC-SHA256(data-check-string) keyed with SHA256(bot token), in hex.
 */
export function verifyTelegramLogin(
  data: TelegramLoginData,
  botToken: string,
  nowMs: number,
  rules: TelegramLoginRules = DEFAULT_LOGIN_RULES,
): TelegramLoginUser {
  const { hash, ...fields } = data;
  if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/i.test(hash)) {
    throw new ApiError('TELEGRAM_LOGIN_INVALID', 'The Telegram login data carries no valid hash');
  }
  const checkString = Object.keys(fields)
    .filter((key) => fields[key] !== undefined && fields[key] !== null)
    .sort()
    .map((key) => `${key}=${String(fields[key])}`)
    .join('\n');
  const secret = createHash('sha256').update(botToken).digest();
  const expected = createHmac('sha256', secret).update(checkString).digest('hex');
  if (!secretsEqual(hash.toLowerCase(), expected)) {
    throw new ApiError(
      'TELEGRAM_LOGIN_INVALID',
      'The Telegram login data is not signed by our bot',
    );
  }

  const authDate = Number(fields.auth_date);
  if (!Number.isSafeInteger(authDate)) {
    throw new ApiError('TELEGRAM_LOGIN_INVALID', 'The Telegram login data has no auth_date');
  }
  const ageSeconds = nowMs / 1000 - authDate;
  if (ageSeconds > rules.maxAgeSeconds) {
    throw new ApiError('TELEGRAM_LOGIN_EXPIRED', 'The Telegram login is too old; log in again');
  }
  if (ageSeconds < -rules.futureSkewSeconds) {
    throw new ApiError('TELEGRAM_LOGIN_INVALID', 'The Telegram login is dated in the future');
  }

  const id = String(fields.id ?? '');
  if (!/^\d{1,20}$/.test(id)) {
    throw new ApiError('TELEGRAM_LOGIN_INVALID', 'The Telegram login data has no user id');
  }
  const name = [fields.first_name, fields.last_name].filter(Boolean).map(String).join(' ');
  return {
    telegramId: id,
    username: fields.username === undefined ? undefined : String(fields.username),
    displayName: name || undefined,
  };
}

/** Signs widget data the way Telegram does (tests and local tooling). */
export function signTelegramLogin(
  fields: Record<string, string | number>,
  botToken: string,
): Record<string, string | number> {
  const checkString = Object.keys(fields)
    .sort()
    .map((key) => `${key}=${String(fields[key])}`)
    .join('\n');
  const secret = createHash('sha256').update(botToken).digest();
  return { ...fields, hash: createHmac('sha256', secret).update(checkString).digest('hex') };
}
