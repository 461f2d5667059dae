import { Inject, Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import { REDIS } from '@ttfd/database';

/**
 * "Sent at" per alert kind, shared through Redis so that several processes evaluating the same
 * condition send one message per quiet period. Times come from the app's Clock (passed in), so
 * tests move time instead of waiting; the key's TTL only cleans up.
 */
const CLAIM = `
local last = redis.call('GET', KEYS[1])
if last and (tonumber(ARGV[1]) - tonumber(last)) < tonumber(ARGV[2]) then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
return 1
`;

@Injectable()
export class AlertQuietPeriod {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  /** True when this caller may send now (and the period starts); false while quiet. */
  async claim(kind: string, nowMs: number, quietMs: number): Promise<boolean> {
    const ttl = Math.max(quietMs * 2, 60_000);
    const result = await this.redis.eval(CLAIM, 1, key(kind), nowMs, quietMs, ttl);
    return result === 1;
  }

  /** Gives the claim back (nothing was delivered), so the next evaluation tries again. */
  async release(kind: string): Promise<void> {
    await this.redis.del(key(kind));
  }
}

function key(kind: string): string {
  return `alerts:last:${kind}`;
}
