import { decodeCursor, encodeCursor } from './cursor';

const forged = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');

describe('decodeCursor', () => {
  it('reads back what encodeCursor wrote', () => {
    const cursor = encodeCursor({ x: '3000000000', a: '12', p: 10 });
    expect(decodeCursor(cursor, ['x', 'a', 'p'] as const)).toEqual({
      x: '3000000000',
      a: '12',
      p: '10',
    });
    const season = encodeCursor({ x: '5', r: '2026-03-02 10:00:00.123+00', a: '7' });
    expect(decodeCursor(season, ['x', 'r', 'a'] as const, { r: 'time' }).r).toBe(
      '2026-03-02 10:00:00.123+00',
    );
  });

  it.each([
    ['not base64 JSON', '%%%'],
    ['non-numeric', forged({ x: 'abc', a: '1', p: 1 })],
    ['beyond bigint', forged({ x: '99999999999999999999', a: '1', p: 1 })],
    ['a negative place', forged({ x: '1', a: '1', p: -5 })],
    ['a fraction', forged({ x: '1.5', a: '1', p: 1 })],
    ['a missing field', forged({ x: '1', a: '1' })],
  ])('refuses %s with INVALID_CURSOR', (_what, cursor) => {
    expect(() => decodeCursor(cursor, ['x', 'a', 'p'] as const)).toThrow(
      expect.objectContaining({ code: 'INVALID_CURSOR' }),
    );
  });

  it('refuses a malformed time', () => {
    expect(() =>
      decodeCursor(forged({ x: '1', r: "'; DROP", a: '1' }), ['x', 'r', 'a'] as const, {
        r: 'time',
      }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_CURSOR' }));
  });
});
