import { FixedWindowLimiter } from './fixed-window-limiter';

describe('FixedWindowLimiter', () => {
  it('allows the limit per window and per key, then tells when to come back', () => {
    const limiter = new FixedWindowLimiter(2, 10_000);
    expect(limiter.hit('a', 0)).toBe(0);
    expect(limiter.hit('a', 1_000)).toBe(0);
    expect(limiter.hit('a', 2_000)).toBe(8);
    expect(limiter.hit('b', 2_000)).toBe(0);
    expect(limiter.hit('a', 10_000)).toBe(0);
  });

  it('remembers at most maxKeys callers', () => {
    const limiter = new FixedWindowLimiter(1, 60_000, 3);
    for (const key of ['a', 'b', 'c', 'd']) limiter.hit(key, 0);
    // 'a' was forgotten, so it starts a fresh window; 'd' is still counted.
    expect(limiter.hit('a', 1)).toBe(0);
    expect(limiter.hit('d', 1)).toBeGreaterThan(0);
  });
});
