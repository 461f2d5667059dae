import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';

/** One sliding window: at most `limit` takes in any `windowMs`, bulk takes at most `bulkLimit`. */
export interface RateWindow {
  key: string;
  limit: number;
  /** What a bulk take may fill the window up to; the rest is kept for live takes. */
  bulkLimit: number;
  windowMs: number;
}

export type CallPriority = 'live' | 'bulk';

/**
 * One round trip per attempt: drops the entries older than each window, and either records the
 * take in every window (0) or answers how many ms until the fullest window has room. Redis's
 * clock, never a process's, so every process sees the same windows.
 * KEYS: the windows. ARGV: member, then per window its limit for this priority and its length.
 */
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local wait = 0
for i, key in ipairs(KEYS) do
  local limit = tonumber(ARGV[i * 2])
  local window = tonumber(ARGV[i * 2 + 1])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local count = redis.call('ZCARD', key)
  if count >= limit then
    local oldest = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
    local free = tonumber(oldest[2]) + window - now + 1
    if free > wait then wait = free end
  end
end
if wait > 0 then return wait end
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, ARGV[1])
  redis.call('PEXPIRE', key, tonumber(ARGV[i * 2 + 1]))
end
return 0
`;

/** Longest pause between two attempts: a live take must notice a freed slot quickly. */
const MAX_PAUSE_MS = 250;

/**
 * A rate limiter every worker process shares through Redis: sliding windows (a sorted set of
 * take times per window), checked and taken atomically by one Lua call per attempt. A bulk take
 * only fills a window up to its `bulkLimit`, so live takes always find the rest free.
 *
 * Redis down: the take lets the call through (logged once, and once when Redis answers again),
 * and each process falls back to its own share of the limit (discord.js's per-client
 * `globalRequestsPerSecond`): slower to coordinate, never stopped.
 */
export class SharedRateLimiter {
  private readonly logger = new Logger('DiscordBudget');
  private degraded = false;

  constructor(private readonly redis: Redis) {}

  /** Resolves when every window had room, after recording the take in each. */
  async take(windows: readonly RateWindow[], priority: CallPriority): Promise<void> {
    if (windows.length === 0) return;
    const member = `${Date.now()}:${randomBytes(6).toString('hex')}`;
    const args = windows.flatMap((w) => [priority === 'bulk' ? w.bulkLimit : w.limit, w.windowMs]);
    for (;;) {
      let wait: number;
      try {
        wait = Number(
          await this.redis.eval(
            TAKE,
            windows.length,
            ...windows.map((w) => w.key),
            member,
            ...args,
          ),
        );
      } catch (error) {
        if (!this.degraded) {
          this.degraded = true;
          this.logger.warn(
            `Redis did not answer the shared Discord limiter (${(error as Error).message}): ` +
              "each process keeps to its own share of Discord's limit until it does",
          );
        }
        return;
      }
      if (this.degraded) {
        this.degraded = false;
        this.logger.log('Redis answers again: the shared Discord limiter is back');
      }
      if (wait <= 0) return;
      await new Promise((resolve) => setTimeout(resolve, Math.min(wait, MAX_PAUSE_MS)));
    }
  }
}
