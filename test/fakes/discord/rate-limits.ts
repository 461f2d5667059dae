/**
 * Per-route rate-limit buckets with the headers Discord sends on every answer. @discordjs/rest
 * keeps one queue per bucket and pauses it when `x-ratelimit-remaining` reaches 0, so the
 * headers must be coherent; a request that arrives anyway (another process sharing the token)
 * gets a 429 like on Discord.
 */
import { createHash } from 'node:crypto';

export interface RateLimitConfig {
  /** Requests per bucket per window. */
  limit: number;
  windowMs: number;
}

interface Bucket {
  remaining: number;
  resetAt: number;
}

export type RateLimitVerdict =
  | { allowed: true; headers: Record<string, string> }
  | { allowed: false; headers: Record<string, string>; retryAfterSeconds: number };

export class RateLimits {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly config: RateLimitConfig) {}

  take(routeKey: string, majorParameter: string, now = Date.now()): RateLimitVerdict {
    const key = `${routeKey}|${majorParameter}`;
    let bucket = this.buckets.get(key);
    if (!bucket || bucket.resetAt <= now) {
      bucket = { remaining: this.config.limit, resetAt: now + this.config.windowMs };
      this.buckets.set(key, bucket);
    }
    const resetAfter = (bucket.resetAt - now) / 1000;
    if (bucket.remaining <= 0) {
      return {
        allowed: false,
        retryAfterSeconds: resetAfter,
        headers: {
          ...this.headers(routeKey, 0, bucket.resetAt, resetAfter),
          'x-ratelimit-scope': 'user',
        },
      };
    }
    bucket.remaining -= 1;
    return {
      allowed: true,
      headers: this.headers(routeKey, bucket.remaining, bucket.resetAt, resetAfter),
    };
  }

  /** Headers for an injected per-route 429: the bucket looks exhausted until retry-after. */
  exhaustedHeaders(
    routeKey: string,
    retryAfterSeconds: number,
    now = Date.now(),
  ): Record<string, string> {
    return this.headers(routeKey, 0, now + retryAfterSeconds * 1000, retryAfterSeconds);
  }

  private headers(
    routeKey: string,
    remaining: number,
    resetAt: number,
    resetAfter: number,
  ): Record<string, string> {
    return {
      'x-ratelimit-limit': String(this.config.limit),
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-reset': (resetAt / 1000).toFixed(3),
      'x-ratelimit-reset-after': resetAfter.toFixed(3),
      // Discord's bucket ids are opaque hashes shared by all major parameters of a route.
      'x-ratelimit-bucket': createHash('sha1').update(routeKey).digest('hex').slice(0, 32),
    };
  }
}
