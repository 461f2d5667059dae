/**
 * The shared limiter against the fake Discord enforcing Discord's global 50 requests/s: two
 * limiters on their own Redis connections stand for two worker processes, each with its own
 * discord.js client, as in production.
 */
import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { REST, Routes } from 'discord.js';
import { Redis } from 'ioredis';
import { SharedRateLimiter, type CallPriority, type RateWindow } from '@ttfd/discord';
import { FakeDiscord } from '../fakes/discord';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('SharedRateLimiter', () => {
  let fake: FakeDiscord;
  const connections: Redis[] = [];
  const prefix = `test:limiter:${randomBytes(4).toString('hex')}:`;

  beforeAll(async () => {
    fake = await FakeDiscord.start();
  });

  afterAll(async () => {
    const cleanup = new Redis(REDIS_URL);
    const keys = await cleanup.keys(`${prefix}*`);
    if (keys.length > 0) await cleanup.del(...keys);
    await cleanup.quit();
    await Promise.all(connections.map((c) => c.quit()));
    await fake?.stop();
  });

  /** One "process": its Redis connection, its limiter and its discord.js client. */
  function worker() {
    const redis = new Redis(REDIS_URL, { keyPrefix: prefix });
    connections.push(redis);
    return {
      limiter: new SharedRateLimiter(redis),
      rest: new REST({ api: fake.apiBase }).setToken(fake.token),
    };
  }

  // The whole global budget for roles, with DiscordBudget's arrival margin on Discord's second.
  const roles: RateWindow = { key: 'roles', limit: 50, bulkLimit: 40, windowMs: 1_100 };

  async function putRole(
    w: ReturnType<typeof worker>,
    priority: CallPriority,
    userId: string,
    roleId: string,
  ): Promise<number> {
    await w.limiter.take([roles], priority);
    await w.rest.put(Routes.guildMemberRole(fake.guild.id, userId, roleId));
    return Date.now();
  }

  it('keeps two processes together under the global 50/s: no 429, every call lands', async () => {
    fake.clearCalls();
    const [a, b] = [worker(), worker()];
    const { users, roles: ids } = fake.guild;
    const started = Date.now();
    await Promise.all(
      [a, b].flatMap((w) =>
        Array.from({ length: 75 }, (_, i) =>
          putRole(w, 'live', i % 2 ? users.alice.id : users.bob.id, ids.achievement),
        ),
      ),
    );
    expect(fake.rateLimitedCounts()).toEqual({ global: 0, user: 0 });
    expect(fake.calls().filter((c) => c.status === 204)).toHaveLength(150);
    // 150 calls at 50/s need two full windows after the first: the limiter did the waiting.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
  });

  it('lands a live call within 2 s while two processes flood bulk calls, still without a 429', async () => {
    fake.clearCalls();
    const [a, b] = [worker(), worker()];
    const { users, roles: ids } = fake.guild;
    const flood = Promise.all(
      [a, b].flatMap((w) =>
        Array.from({ length: 120 }, () => putRole(w, 'bulk', users.bob.id, ids.rank1)),
      ),
    );
    // Once the flood has filled its share of the window, live calls arrive one by one.
    await fake.waitFor(() => fake.calls().length >= 60, 5_000, 'the bulk flood under way');
    const delays: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const asked = Date.now();
      delays.push((await putRole(a, 'live', users.alice.id, ids.achievement)) - asked);
    }
    await flood;
    expect(Math.max(...delays)).toBeLessThan(2_000);
    expect(fake.rateLimitedCounts()).toEqual({ global: 0, user: 0 });
  });

  it('lets bulk calls fill the whole window while no live call is about, and keeps the live share once one is', async () => {
    const w = worker();
    const redis = new Redis(REDIS_URL, { keyPrefix: prefix });
    connections.push(redis);
    // Plain takes, no Discord: what fits in the window without waiting for it to slide.
    const window = (key: string): RateWindow => ({
      key,
      limit: 20,
      bulkLimit: 16,
      windowMs: 1_500,
    });

    // Alone, a mass change may use all of the budget: nothing live waits for the rest.
    const alone = window('bulk-alone');
    const started = Date.now();
    await Promise.all(Array.from({ length: 20 }, () => w.limiter.take([alone], 'bulk')));
    expect(Date.now() - started).toBeLessThan(1_000);

    // Once a live call is about, bulk keeps off the live share for a window's length.
    const shared = window('bulk-beside-live');
    await w.limiter.take([shared], 'live');
    const flood = Promise.all(Array.from({ length: 20 }, () => w.limiter.take([shared], 'bulk')));
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await redis.zcard('bulk-beside-live')).toBe(16); // the live call and 15 bulk ones
    await flood; // the rest as the window slides
  });

  it("keeps the member-role bucket per guild across processes too: no 429 from Discord's bucket", async () => {
    fake.clearCalls();
    fake.setMemberRoleBucket({ limit: 5, windowMs: 1_000 });
    try {
      const memberRoles: RateWindow = {
        key: 'member-roles',
        limit: 5,
        bulkLimit: 4,
        windowMs: 1_100,
      };
      const [a, b] = [worker(), worker()];
      const { users, roles: ids } = fake.guild;
      const before = fake.rateLimitedCounts();
      const started = Date.now();
      await Promise.all(
        [a, b].flatMap((w) =>
          Array.from({ length: 8 }, async (_, i) => {
            await w.limiter.take([roles, memberRoles], 'live');
            const userId = i % 2 ? users.alice.id : users.bob.id;
            await w.rest.put(Routes.guildMemberRole(fake.guild.id, userId, ids.achievement));
          }),
        ),
      );
      expect(fake.rateLimitedCounts()).toEqual(before);
      expect(fake.calls().filter((c) => c.status === 204)).toHaveLength(16);
      // 16 calls at 5 per window: the limiter spread them over at least three more windows.
      expect(Date.now() - started).toBeGreaterThanOrEqual(3_000);
    } finally {
      fake.setMemberRoleBucket(false);
    }
  });

  it('lets calls through, logging once, when Redis does not answer', async () => {
    const dead = new Redis({
      port: 1,
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    dead.on('error', () => undefined);
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const limiter = new SharedRateLimiter(dead);
      for (let i = 0; i < 3; i += 1) await limiter.take([roles], 'live');
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      warn.mockRestore();
      dead.disconnect();
    }
  });
});
