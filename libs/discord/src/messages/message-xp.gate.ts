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
 *
 * A pass reserves the cooldown before the award commits (atomically: two messages at once
 * cannot both pass). The reservation is `{clock ms}:{message id}`, so when the award then fails
 * `release` deletes exactly that value (compare-and-delete): a newer reservation is never
 * touched, and a check-then-set would let two simultaneous messages both pay.
 */
const CHECK = `
local previous = redis.call('GET', KEYS[2])
redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4])
if previous == ARGV[3] then return 'repeat' end
local last = redis.call('GET', KEYS[1])
local lastMs = last and tonumber(string.match(last, '^%-?%d+'))
if lastMs and (tonumber(ARGV[1]) - lastMs) < tonumber(ARGV[2]) then return 'cooldown' end
redis.call('SET', KEYS[1], ARGV[5], 'PX', ARGV[4])
return 'pass'
`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/** Kept long after the cooldown so a slow clock never forgets a payment too early. */
const HOUSEKEEPING_TTL_MS = 24 * 60 * 60 * 1000;

@Injectable()
export class MessageXpGate {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  /** `messageId` names the reservation a pass makes, for `release`. */
  async check(
    userId: string,
    normalizedText: string,
    nowMs: number,
    cooldownMs: number,
    messageId: string,
  ): Promise<GateResult> {
    const textHash = createHash('sha1').update(normalizedText).digest('base64url');
    const ttl = Math.max(HOUSEKEEPING_TTL_MS, cooldownMs * 2);
    const answer = await this.redis.eval(
      CHECK,
      2,
      paidKey(userId),
      `discord:msgxp:text:${userId}`,
      String(nowMs),
      String(cooldownMs),
      textHash,
      String(ttl),
      reservation(nowMs, messageId),
    );
    if (answer === 'pass' || answer === 'cooldown' || answer === 'repeat') return answer;
    throw new Error(`Unexpected answer from the message XP gate: ${String(answer)}`);
  }

  /** Gives back the cooldown a pass reserved, if it is still that message's reservation. */
  async release(userId: string, nowMs: number, messageId: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, paidKey(userId), reservation(nowMs, messageId));
  }
}

function paidKey(userId: string): string {
  return `discord:msgxp:paid:${userId}`;
}

function reservation(nowMs: number, messageId: string): string {
  return `${nowMs}:${messageId}`;
}
