import { secretTokenMatches } from './secret-token';

describe('secretTokenMatches', () => {
  const secret = 'webhook-secret-0123456789';

  it('accepts exactly the secret', () => {
    expect(secretTokenMatches(secret, secret)).toBe(true);
  });

  it('refuses missing, empty, repeated, shorter, longer and different values', () => {
    expect(secretTokenMatches(undefined, secret)).toBe(false);
    expect(secretTokenMatches('', secret)).toBe(false);
    expect(secretTokenMatches([secret, secret], secret)).toBe(false);
    expect(secretTokenMatches(secret.slice(0, -1), secret)).toBe(false);
    expect(secretTokenMatches(`${secret}x`, secret)).toBe(false);
    expect(secretTokenMatches(secret.toUpperCase(), secret)).toBe(false);
  });
});
