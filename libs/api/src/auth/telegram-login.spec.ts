import { createHash, createHmac } from 'node:crypto';
import { ApiError } from '../errors/api.error';
import { signTelegramLogin, verifyTelegramLogin } from './telegram-login';

const TOKEN = '123456:ABC-test-token';
const NOW = Date.parse('2026-01-15T12:00:00Z');
const authDate = Math.floor(NOW / 1000) - 60;

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof ApiError ? error.code : `unexpected ${String(error)}`;
  }
}

describe('verifyTelegramLogin', () => {
  const fields = { id: 42, first_name: 'Ann', username: 'ann', auth_date: authDate };

  it('accepts data signed as Telegram documents it (sorted key=value lines, key SHA256(token))', () => {
    const checkString = `auth_date=${authDate}\nfirst_name=Ann\nid=42\nusername=ann`;
    const hash = createHmac('sha256', createHash('sha256').update(TOKEN).digest())
      .update(checkString)
      .digest('hex');
    expect(verifyTelegramLogin({ ...fields, hash }, TOKEN, NOW)).toEqual({
      telegramId: '42',
      username: 'ann',
      displayName: 'Ann',
    });
  });

  it('refuses a forged field, another bot and a missing hash', () => {
    const signed = signTelegramLogin(fields, TOKEN);
    expect(codeOf(() => verifyTelegramLogin({ ...signed, id: 43 }, TOKEN, NOW))).toBe(
      'TELEGRAM_LOGIN_INVALID',
    );
    expect(codeOf(() => verifyTelegramLogin(signed, '999:other', NOW))).toBe(
      'TELEGRAM_LOGIN_INVALID',
    );
    expect(codeOf(() => verifyTelegramLogin({ ...fields }, TOKEN, NOW))).toBe(
      'TELEGRAM_LOGIN_INVALID',
    );
  });

  it('refuses data older than a day and data from the future beyond the skew', () => {
    const stale = signTelegramLogin({ ...fields, auth_date: authDate - 86_400 }, TOKEN);
    expect(codeOf(() => verifyTelegramLogin(stale, TOKEN, NOW))).toBe('TELEGRAM_LOGIN_EXPIRED');
    const future = signTelegramLogin({ ...fields, auth_date: Math.floor(NOW / 1000) + 600 }, TOKEN);
    expect(codeOf(() => verifyTelegramLogin(future, TOKEN, NOW))).toBe('TELEGRAM_LOGIN_INVALID');
    const slightlyAhead = signTelegramLogin(
      { ...fields, auth_date: Math.floor(NOW / 1000) + 30 },
      TOKEN,
    );
    expect(codeOf(() => verifyTelegramLogin(slightlyAhead, TOKEN, NOW))).toBeUndefined();
  });
});
