/**
 * Counts hits per key in fixed windows, in process memory. Bounded: at most `maxKeys` keys are
 * remembered (the oldest window goes first), so a flood of distinct callers costs memory once,
 * not forever. With several API replicas each keeps its own counts: the limit is per replica.
 */
export class FixedWindowLimiter {
  private readonly windows = new Map<string, { startedAt: number; hits: number }>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly maxKeys = 50_000,
  ) {}

  /** Counts one hit; returns 0 when allowed, else the seconds until the window resets. */
  hit(key: string, nowMs: number): number {
    let window = this.windows.get(key);
    if (!window || nowMs - window.startedAt >= this.windowMs) {
      this.windows.delete(key);
      window = { startedAt: nowMs, hits: 0 };
      this.windows.set(key, window);
      this.evictBeyondCapacity();
    }
    window.hits += 1;
    if (window.hits <= this.limit) return 0;
    return Math.max(1, Math.ceil((window.startedAt + this.windowMs - nowMs) / 1000));
  }

  private evictBeyondCapacity(): void {
    // Map keeps insertion order and a renewed window is re-inserted: the first key is the oldest.
    while (this.windows.size > this.maxKeys) {
      const oldest = this.windows.keys().next().value;
      if (oldest === undefined) return;
      this.windows.delete(oldest);
    }
  }
}
