import { bearerToken, secretsEqual } from './constant-time';

describe('admin token comparison', () => {
  it('is true only for the same secret, whatever the lengths', () => {
    expect(
      secretsEqual('test-admin-token-0123456789abcdef', 'test-admin-token-0123456789abcdef'),
    ).toBe(true);
    expect(
      secretsEqual('test-admin-token-0123456789abcdeX', 'test-admin-token-0123456789abcdef'),
    ).toBe(false);
    expect(secretsEqual('short', 'test-admin-token-0123456789abcdef')).toBe(false);
    expect(secretsEqual('', 'test-admin-token-0123456789abcdef')).toBe(false);
  });

  it('reads only a well-formed bearer header', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
    expect(bearerToken(['Bearer a', 'Bearer b'])).toBeUndefined();
  });
});
