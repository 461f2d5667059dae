import { collect, spawnTs } from '../support/spawn-ts';
import { createRedisPrefix, createTestDatabase } from '../support/test-database';
import { TEST_REDIS_URL } from '../support/test-env';
import { waitFor } from '../support/test-app';

describe('graceful shutdown', () => {
  it('lets a slow request finish after SIGTERM, then exits 0', async () => {
    const database = await createTestDatabase();
    const redis = createRedisPrefix();
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const child = spawnTs('test/platform/fixtures/slow-server.ts', {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: redis.prefix,
      ADMIN_TOKEN: 'graceful-shutdown-admin-token',
      MIGRATIONS_RUN: 'false',
      LOG_LEVEL: 'info',
      SLOW_MS: '1500',
    });
    const { output, done } = collect(child);
    try {
      await waitFor(() => output().includes('listening on'), {
        timeoutMs: 60_000,
        what: 'the app to listen',
      });

      const inFlight = fetch(`http://127.0.0.1:${port}/slow`);
      await waitFor(() => output().includes('slow request started'), { what: 'the slow request' });
      child.kill('SIGTERM');

      const response = await inFlight;
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ finished: true });

      const result = await done;
      expect(result.code).toBe(0);
      expect(output()).toMatch(/SIGTERM received/);
      expect(output()).toMatch(/Shut down cleanly/);
      // Closed for new work: nothing listens any more.
      await expect(fetch(`http://127.0.0.1:${port}/health/live`)).rejects.toThrow();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await database.drop();
      await redis.cleanup();
    }
  });
});
