import { backoffMs } from './backoff';

describe('backoffMs', () => {
  const options = { baseMs: 1_000, maxMs: 60_000, jitter: false };

  it('doubles per attempt', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(n, options))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000,
    ]);
  });

  it('is capped', () => {
    expect(backoffMs(10, options)).toBe(60_000);
    expect(backoffMs(1_000, options)).toBe(60_000);
  });

  it('jitters between half and the full delay', () => {
    const jittered = { ...options, jitter: true };
    expect(backoffMs(3, jittered, () => 0)).toBe(2_000);
    expect(backoffMs(3, jittered, () => 1)).toBe(4_000);
    expect(backoffMs(3, jittered, () => 0.5)).toBe(3_000);
  });

  it('allows a zero base (tests retry at once)', () => {
    expect(backoffMs(4, { baseMs: 0, maxMs: 0, jitter: true })).toBe(0);
  });
});
