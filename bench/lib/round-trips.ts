import { Client } from 'pg';
import { Redis } from 'ioredis';

/**
 * Counts round trips by wrapping the drivers under everything (TypeORM, pools, BullMQ): every
 * `pg` query and every ioredis command is one. Only while `count` runs its work; the work must
 * be the only thing talking to Postgres and Redis meanwhile.
 */
export async function countRoundTrips(
  work: () => Promise<void>,
): Promise<{ sql: number; redis: number }> {
  const counts = { sql: 0, redis: 0 };
  const query = Client.prototype.query;
  const sendCommand = Redis.prototype.sendCommand;
  Client.prototype.query = function (this: Client, ...args: unknown[]) {
    counts.sql += 1;
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof Client.prototype.query;
  Redis.prototype.sendCommand = function (this: Redis, ...args: unknown[]) {
    counts.redis += 1;
    return (sendCommand as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof Redis.prototype.sendCommand;
  try {
    await work();
  } finally {
    Client.prototype.query = query;
    Redis.prototype.sendCommand = sendCommand;
  }
  return counts;
}
