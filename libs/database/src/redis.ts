import { Redis, RedisOptions } from 'ioredis';
import { redactUrl } from './redact-url';

/**
 * Options for every Redis connection we open. No offline queue: a command to a dead Redis fails
 * at once instead of piling up in memory, so an award never waits on Redis (the sweep catches
 * up from Postgres later).
 */
export function redisOptions(url: string, overrides: RedisOptions = {}): RedisOptions {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    username: parsed.username || undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
    connectTimeout: 2_000,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    ...overrides,
  };
}

export class RedisUnavailableError extends Error {
  constructor(url: string, cause: string) {
    super(
      `Redis did not answer at REDIS_URL ${redactUrl(url)} (${cause}). ` +
        'Start one with: redis-server --daemonize yes --port 6379 ' +
        '(or: docker compose up -d redis), or point REDIS_URL at a running Redis.',
    );
    this.name = 'RedisUnavailableError';
  }
}

/** Fails fast, with a message that says how to start Redis, when it does not answer. */
export async function assertRedisAnswers(url: string, timeoutMs = 3_000): Promise<void> {
  const client = new Redis({
    ...redisOptions(url),
    lazyConnect: true,
    retryStrategy: () => null,
    connectTimeout: timeoutMs,
  });
  client.on('error', () => undefined); // reported below
  try {
    await client.connect();
    const answer = await client.ping();
    if (answer !== 'PONG') throw new Error(`PING answered ${answer}`);
  } catch (error) {
    throw new RedisUnavailableError(url, (error as Error).message);
  } finally {
    client.disconnect();
  }
}
