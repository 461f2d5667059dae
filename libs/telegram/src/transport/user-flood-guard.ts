import { Inject, Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import { REDIS } from '@ttfd/database';
import { TELEGRAM_SETTINGS, TelegramSettings } from '../telegram-settings';

/** `allow`: handle it. `warn`: the limit was just crossed, say "slow down" once. `ignore`: muted. */
export type FloodVerdict = 'allow' | 'warn' | 'ignore';

/**
 * One round trip: a user who is muted is ignored; otherwise the update is counted in a window that
 * starts with the user's first update; crossing the limit mutes the user and says so once.
 */
const CHECK = `
if redis.call('EXISTS', KEYS[2]) == 1 then return 'ignore' end
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
if count <= tonumber(ARGV[2]) then return 'allow' end
redis.call('SET', KEYS[2], '1', 'EX', ARGV[3])
redis.call('DEL', KEYS[1])
return 'warn'`;

/**
 * The per-user command limit: at most `limit` updates (commands, texts, button presses) per
 * `windowSeconds`; the user who goes over is told once and then ignored for `muteSeconds`. Kept in
 * Redis, so several webhook replicas share one count, and timed by Redis (real seconds, not the
 * business Clock that tests move).
 */
@Injectable()
export class UserFloodGuard {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(TELEGRAM_SETTINGS) private readonly settings: TelegramSettings,
  ) {}

  get muteSeconds(): number {
    return this.settings.flood.muteSeconds;
  }

  async check(userId: number): Promise<FloodVerdict> {
    const { limit, windowSeconds, muteSeconds } = this.settings.flood;
    return (await this.redis.eval(
      CHECK,
      2,
      `tg:flood:${userId}:count`,
      `tg:flood:${userId}:muted`,
      windowSeconds,
      limit,
      muteSeconds,
    )) as FloodVerdict;
  }
}
