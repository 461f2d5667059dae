import { signSession, verifySession } from './session-token';

const SECRET = 'a-session-secret-of-32-characters!!';
const NOW = Date.parse('2026-01-15T12:00:00Z');
const claims = { tg: '42', iat: NOW / 1000, exp: NOW / 1000 + 3600 };

describe('session tokens', () => {
  it('round-trips its claims while unexpired', () => {
    expect(verifySession(signSession(claims, SECRET), SECRET, NOW)).toEqual(claims);
  });

  it('refuses an expired token, another secret, a tampered body and garbage', () => {
    const token = signSession(claims, SECRET);
    expect(verifySession(token, SECRET, NOW + 3_600_000)).toBeNull();
    expect(verifySession(token, `${SECRET}x`, NOW)).toBeNull();
    const [version, , sig] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, tg: '43' })).toString('base64url');
    expect(verifySession(`${version}.${forged}.${sig}`, SECRET, NOW)).toBeNull();
    expect(verifySession('not-a-token', SECRET, NOW)).toBeNull();
  });
});
