import { TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  it('lets a burst of `capacity` through, then spaces callers by 1/rate', () => {
    const bucket = new TokenBucket(1, 3, 0);
    expect([bucket.reserve(0), bucket.reserve(0), bucket.reserve(0)]).toEqual([0, 0, 0]);
    expect(bucket.reserve(0)).toBe(1000);
    expect(bucket.reserve(0)).toBe(2000);
  });

  it('refills with time, never above capacity', () => {
    const bucket = new TokenBucket(30, 30, 0);
    for (let i = 0; i < 30; i++) bucket.reserve(0);
    expect(bucket.reserve(0)).toBe(34); // ceil(1000 / 30)
    expect(bucket.reserve(1_000)).toBe(0); // a second later: 30 tokens came back, one owed
    expect(bucket.isIdle(10_000)).toBe(true);
    expect(new TokenBucket(1, 2, 0).reserve(3_600_000)).toBe(0);
  });

  it('counts a reservation made while waiting against later callers', () => {
    const bucket = new TokenBucket(2, 1, 0);
    expect(bucket.reserve(0)).toBe(0);
    expect(bucket.reserve(0)).toBe(500);
    expect(bucket.reserve(250)).toBe(750); // still owes one; the next slot is at 1000 ms
    expect(bucket.isIdle(250)).toBe(false);
  });

  it('refuses nonsense settings', () => {
    expect(() => new TokenBucket(0, 1, 0)).toThrow();
    expect(() => new TokenBucket(1, 0, 0)).toThrow();
  });
});
