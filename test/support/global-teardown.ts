import { Redis } from 'ioredis';
import { Client } from 'pg';
import {
  assertTestDatabaseName,
  TEST_ADMIN_DATABASE_URL,
  TEST_DATABASE_MARK,
  TEST_REDIS_URL,
} from './test-env';

/** Drops this run's databases and Redis keys, including those of a suite that crashed. */
export default async function globalTeardown(): Promise<void> {
  const runId = process.env.TTFD_TEST_RUN_ID;
  if (!runId) return;
  const admin = new Client({ connectionString: TEST_ADMIN_DATABASE_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [`${TEST_DATABASE_MARK}_${runId}_%`],
    );
    for (const { datname } of rows) {
      assertTestDatabaseName(datname);
      await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    }
  } finally {
    await admin.end();
  }
  await deleteRedisKeys(`ttfd-test-${runId}-*`);
}

export async function deleteRedisKeys(pattern: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
