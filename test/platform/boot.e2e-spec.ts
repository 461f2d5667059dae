import { DataSource } from 'typeorm';
import { startTestApp, TestApp } from '../support/test-app';

type HealthBody = { status: string; checks: Record<string, { status: string; detail?: string }> };

async function serverVersion(testApp: TestApp): Promise<string> {
  const [{ version }] = await testApp.app.get(DataSource).query('SELECT version()');
  return version;
}

describe('the app boots and answers /health', () => {
  let testApp: TestApp | undefined;

  afterEach(async () => {
    await testApp?.close();
    testApp = undefined;
  });

  it('on Postgres', async () => {
    testApp = await startTestApp({ database: 'postgres' });
    const response = await fetch(`${testApp.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ok',
      checks: { postgres: { status: 'ok' }, redis: { status: 'ok' } },
    });
    expect(await serverVersion(testApp)).not.toContain('PGlite');
  });

  it('on embedded PGlite, migrated at start', async () => {
    testApp = await startTestApp({ database: 'pglite' });
    const response = await fetch(`${testApp.url}/health`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as HealthBody).checks.postgres).toEqual({ status: 'ok' });
    expect(await serverVersion(testApp)).toContain('PGlite');
  });

  it('reports 503 with the failing dependency when Redis is gone', async () => {
    testApp = await startTestApp({ env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    const response = await fetch(`${testApp.url}/health`);
    expect(response.status).toBe(503);
    const body = (await response.json()) as HealthBody;
    expect(body.status).toBe('unavailable');
    expect(body.checks.postgres).toEqual({ status: 'ok' });
    expect(body.checks.redis.status).toBe('down');
    const live = await fetch(`${testApp.url}/health/live`);
    expect(live.status).toBe(200);
  });
});
