import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from '@ttfd/config';
import { REDIS } from '@ttfd/database';

// Deletes the key only if it still holds our token: a lock that expired and was taken by
// another worker is never released by us.
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
// Extends the TTL only while the key still holds our token.
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

export class MemberLockTimeoutError extends Error {
  constructor(discordUserId: string, waitedMs: number) {
    super(`member ${discordUserId} stayed locked for ${waitedMs} ms`);
    this.name = 'MemberLockTimeoutError';
  }
}

/**
 * Serializes role work per Discord member across every worker process: `SET NX PX` with a
 * random token, released by compare-and-delete. The TTL bounds the damage of a crashed holder;
 * a live holder renews it every third of the TTL, because its work can outlast any fixed TTL
 * (discord.js waits out a 429 before returning), and a lock that expired mid-work would let a
 * second convergence of the member run at once and repeat its role calls.
 */
@Injectable()
export class MemberLock {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  async withLock<T>(discordUserId: string, work: () => Promise<T>): Promise<T> {
    const key = `lock:member:${discordUserId}`;
    const token = randomBytes(12).toString('hex');
    const ttl = this.config.env.SYNC_MEMBER_LOCK_TTL_MS;
    const maxWait = this.config.env.SYNC_MEMBER_LOCK_WAIT_MS;
    const started = Date.now(); // waiting on a real lock: wall time, not domain time
    let pause = 5;
    while ((await this.redis.set(key, token, 'PX', ttl, 'NX')) !== 'OK') {
      if (Date.now() - started >= maxWait) throw new MemberLockTimeoutError(discordUserId, maxWait);
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(100, pause * 2);
    }
    const renewal = setInterval(
      () => {
        // A failed renewal (Redis gone) is retried at the next tick; the work goes on.
        this.redis.eval(RENEW, 1, key, token, ttl).catch(() => undefined);
      },
      Math.max(100, Math.floor(ttl / 3)),
    );
    renewal.unref(); // never what keeps a process alive
    try {
      return await work();
    } finally {
      clearInterval(renewal);
      // A release that fails (Redis gone) is harmless: the lock's TTL frees the member anyway.
      await this.redis.eval(RELEASE, 1, key, token).catch(() => undefined);
    }
  }
}
