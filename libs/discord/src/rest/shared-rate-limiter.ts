import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';

/**
 * One sliding window: at most `limit` takes in any `windowMs`; bulk takes at most `bulkLimit`
 * while live takes are about (one in the last `windowMs`).
 */
export interface RateWindow {
  key: string;
  limit: number;
  /** What a bulk take may fill the window up to beside live takes; the rest is kept for them. */
  bulkLimit: number;
  windowMs: number;
}

export type CallPriority = 'live' | 'bulk';

/**
 * One round trip per attempt: drops the entries older than each window, and either records the
 * take in every window (0) or answers how many ms until the fullest window has room. Redis's
 * clock, never a process's, so every process sees the same windows.
 * A live take (even one that must wait) marks its window "live about" for the window's length;
 * while the mark stands a bulk take fills the window only to its bulk limit, otherwise to the
 * whole limit: a mass change alone spends all of the budget, beside live calls it leaves them
 * their share.
 * KEYS: per window, its take set then its live mark. ARGV: member, 'live' or 'bulk', then per
 * window its limit, its bulk limit and its length.
 */
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local live = ARGV[2] == 'live'
local wait = 0
for i = 1, #KEYS / 2 do
  local key = KEYS[i * 2 - 1]
  local mark = KEYS[i * 2]
  local window = tonumber(ARGV[i * 3 + 2])
  local limit = tonumber(ARGV[i * 3])
  if live then
    redis.call('SET', mark, '1', 'PX', window)
  elseif redis.call('EXISTS', mark) == 1 then
    limit = tonumber(ARGV[i * 3 + 1])
  end
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local count = redis.call('ZCARD', key)
  if count >= limit then
    local oldest = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
    local free = tonumber(oldest[2]) + window - now + 1
    if free > wait then wait = free end
  end
end
if wait > 0 then return wait end
for i = 1, #KEYS / 2 do
  local key = KEYS[i * 2 - 1]
  redis.call('ZADD', key, now, ARGV[1])
  redis.call('PEXPIRE', key, tonumber(ARGV[i * 3 + 2]))
end
return 0
`;

/** Longest pause between two attempts: a live take must notice a freed slot quickly. */
const MAX_PAUSE_MS = 250;

/**
 * A rate limiter every worker process shares through Redis: sliding windows (a sorted set of
 * take times per window), checked and taken atomically by one Lua call per attempt. While live
 * takes are about, a bulk take only fills a window up to its `bulkLimit`, so live takes find the
 * rest free; with none about, bulk may fill the whole window.
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
    const keys = windows.flatMap((w) => [w.key, `${w.key}:live`]);
    const args = windows.flatMap((w) => [w.limit, w.bulkLimit, w.windowMs]);
    for (;;) {
      let wait: number;
      try {
        wait = Number(await this.redis.eval(TAKE, keys.length, ...keys, member, priority, ...args));
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
