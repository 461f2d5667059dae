import { Redis } from 'ioredis';
import { createRedisPrefix } from '../support/test-database';
import { TEST_REDIS_URL } from '../support/test-env';
import { type TelegramSettings, UpdateDedupe, UserFloodGuard } from '@ttfd/telegram';

describe('Telegram update dedupe and per-user command limit (real Redis)', () => {
  const keys = createRedisPrefix();
  const redis = new Redis(TEST_REDIS_URL, { keyPrefix: `${keys.prefix}:` });
  const settings = {
    updateDedupeSeconds: 3600,
    flood: { limit: 3, windowSeconds: 10, muteSeconds: 60 },
  } as TelegramSettings;

  afterAll(async () => {
    await keys.cleanup();
    redis.disconnect();
  });

  it('claims an update once; a delivery during handling is busy, after it done', async () => {
    const dedupe = new UpdateDedupe(redis, settings);
    expect(await dedupe.claim(1)).toBe('claimed');
    expect(await dedupe.claim(1)).toBe('busy');
    await dedupe.finish(1);
    expect(await dedupe.claim(1)).toBe('done');
    expect(await redis.ttl('tg:update:1')).toBeGreaterThan(3000);
  });

  it('a released claim lets the next delivery be handled', async () => {
    const dedupe = new UpdateDedupe(redis, settings);
    expect(await dedupe.claim(2)).toBe('claimed');
    await dedupe.release(2);
    expect(await dedupe.claim(2)).toBe('claimed');
    expect(await redis.ttl('tg:update:2')).toBeLessThanOrEqual(60);
  });

  it('treats keys written before claims existed as done', async () => {
    await redis.set('tg:update:3', '1', 'EX', 60);
    expect(await new UpdateDedupe(redis, settings).claim(3)).toBe('done');
  });

  it('allows the limit, warns once when it is crossed, then ignores the user; others are unaffected', async () => {
    const guard = new UserFloodGuard(redis, settings);
    const verdicts = [];
    for (let i = 0; i < 7; i++) verdicts.push(await guard.check(42));
    expect(verdicts).toEqual(['allow', 'allow', 'allow', 'warn', 'ignore', 'ignore', 'ignore']);
    expect(await guard.check(43)).toBe('allow');
    expect(await redis.ttl('tg:flood:42:muted')).toBeGreaterThan(50);
  });
});
