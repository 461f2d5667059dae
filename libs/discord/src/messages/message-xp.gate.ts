import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import { REDIS } from '@ttfd/database';

export type GateResult = 'pass' | 'cooldown' | 'repeat';

/**
 * The per-member anti-spam state, checked and set in one Lua call so that two messages at once
 * cannot both pass.
 *
 * The cooldown is measured with the app's Clock, not with Redis TTLs: a TTL runs on Redis's wall
 * clock, which tests (and a skewed server) do not control. So the key stores the Clock time of
 * the last paid message and the script compares; the TTL on both keys is housekeeping only.
 * The last text is remembered for every message (paid or not): repeating yourself never pays.
 */
const SCRIPT = `
local previous = redis.call('GET', KEYS[2])
redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4])
if previous == ARGV[3] then return 'repeat' end
local last = redis.call('GET', KEYS[1])
if last and (tonumber(ARGV[1]) - tonumber(last)) < tonumber(ARGV[2]) then return 'cooldown' end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[4])
return 'pass'
`;

/** Kept long after the cooldown so a slow clock never forgets a payment too early. */
const HOUSEKEEPING_TTL_MS = 24 * 60 * 60 * 1000;

@Injectable()
export class MessageXpGate {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async check(
    userId: string,
    normalizedText: string,
    nowMs: number,
    cooldownMs: number,
  ): Promise<GateResult> {
    const textHash = createHash('sha1').update(normalizedText).digest('base64url');
    const ttl = Math.max(HOUSEKEEPING_TTL_MS, cooldownMs * 2);
    const answer = await this.redis.eval(
      SCRIPT,
      2,
      `discord:msgxp:paid:${userId}`,
      `discord:msgxp:text:${userId}`,
      String(nowMs),
      String(cooldownMs),
      textHash,
      String(ttl),
    );
    if (answer === 'pass' || answer === 'cooldown' || answer === 'repeat') return answer;
    throw new Error(`Unexpected answer from the message XP gate: ${String(answer)}`);
  }
}
