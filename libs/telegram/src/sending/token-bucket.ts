/**
 * A token bucket that hands out reservations instead of refusals: `reserve(now)` takes a token
 * (the balance may go below zero) and says how long the caller must wait before using it. Waits
 * grow with the queue, so concurrent callers line up in order without a shared timer loop.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly capacity: number,
    now: number,
  ) {
    if (ratePerSecond <= 0 || capacity < 1)
      throw new Error('TokenBucket needs rate > 0, capacity >= 1');
    this.tokens = capacity;
    this.updatedAt = now;
  }

  /** Milliseconds to wait before the reserved token may be spent (0: at once). */
  reserve(now: number): number {
    this.refill(now);
    this.tokens -= 1;
    if (this.tokens >= 0) return 0;
    return Math.ceil((-this.tokens * 1000) / this.ratePerSecond);
  }

  /** True when the bucket is full again: nobody is waiting and it holds no state worth keeping. */
  isIdle(now: number): boolean {
    this.refill(now);
    return this.tokens >= this.capacity;
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.updatedAt);
    this.tokens = Math.min(this.capacity, this.tokens + (elapsed * this.ratePerSecond) / 1000);
    this.updatedAt = now;
  }
}
