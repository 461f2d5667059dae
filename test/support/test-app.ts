import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { Test, TestingModuleBuilder } from '@nestjs/testing';
import { Logger } from 'nestjs-pino';
import { AppModule, configureApp } from '@ttfd/server';
import { Clock, ManualClock } from '@ttfd/clock';
import { AppConfig, loadConfig } from '@ttfd/config';
import { createRedisPrefix, createTestDatabase, TestDatabase } from './test-database';
import { TEST_REDIS_URL } from './test-env';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
export const TEST_SESSION_SECRET = 'test-session-secret-0123456789abcdef0123456789';

export interface TestAppOptions {
  /** Extra environment; wins over the test defaults. */
  env?: Record<string, string | undefined>;
  clock?: Clock;
  imports?: (Type<unknown> | DynamicModule)[];
  /** Override providers (in-memory gateways and the like). */
  override?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
  /** 'postgres' (default): a fresh copy of the template; 'pglite': embedded, in memory. */
  database?: 'postgres' | 'pglite';
  /** Reuse a database made by the test (e.g. to restart the app on the same data). */
  existingDatabase?: TestDatabase;
  /** Collects the app's log lines (at LOG_LEVEL info unless env says otherwise). */
  logs?: LogCapture;
  /** Reuse a Redis prefix (restarts). */
  redisPrefix?: string;
}

export interface TestApp {
  app: INestApplication;
  config: AppConfig;
  clock: Clock;
  /** http://127.0.0.1:<port> */
  url: string;
  database?: TestDatabase;
  redisPrefix: string;
  /** Closes the app; drops the database and Redis keys unless `keepData`. */
  close(options?: { keepData?: boolean }): Promise<void>;
}

/**
 * Boots the whole application the way main.ts does, on its own database copy and Redis prefix,
 * listening on a free loopback port.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database =
    options.database === 'pglite'
      ? undefined
      : (options.existingDatabase ?? (await createTestDatabase()));
  const redis = options.redisPrefix
    ? { prefix: options.redisPrefix, cleanup: async () => undefined }
    : createRedisPrefix();
  const clock = options.clock ?? new ManualClock();
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? (options.logs ? 'info' : 'silent'),
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: database?.url,
    DATA_DIR: database ? undefined : ':memory:',
    DATABASE_POOL_SIZE: '8',
    // A loaded CI machine queues bursts for longer than production would tolerate.
    DATABASE_ACQUIRE_TIMEOUT_MS: '60000',
    MIGRATIONS_RUN: database ? 'false' : 'true',
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: redis.prefix,
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    SESSION_SECRET: TEST_SESSION_SECRET,
    APP_ROLES: 'api,worker,scheduler',
    ...options.env,
  });
  let builder = Test.createTestingModule({
    imports: [
      AppModule.forRoot({
        config,
        clock,
        imports: options.imports,
        logDestination: options.logs,
      }),
    ],
  });
  if (options.override) builder = options.override(builder);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication({ bufferLogs: true });
  app.useLogger(app.get(Logger));
  configureApp(app, config);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return {
    app,
    config,
    clock,
    url: `http://127.0.0.1:${address.port}`,
    database,
    redisPrefix: redis.prefix,
    async close({ keepData = false } = {}) {
      await app.close();
      if (!keepData) {
        await database?.drop();
        await redis.cleanup();
      }
    },
  };
}

/** A log destination that keeps every line, parsed, for assertions on what was logged. */
export class LogCapture {
  readonly lines: Record<string, unknown>[] = [];

  write(chunk: string): void {
    for (const line of chunk.split('\n')) {
      if (line.trim()) this.lines.push(JSON.parse(line) as Record<string, unknown>);
    }
  }

  /** Lines whose correlation id is, or (combined ids) includes, `id`. */
  correlatedWith(id: string): Record<string, unknown>[] {
    return this.lines.filter(
      (line) =>
        typeof line.correlationId === 'string' && line.correlationId.split(',').includes(id),
    );
  }
}

// Kept here for the specs that import it from test-app; its home is wait-for.ts.
export { waitFor } from './wait-for';
