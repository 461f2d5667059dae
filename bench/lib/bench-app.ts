import { DynamicModule, INestApplication, Injectable, Module, OnModuleInit } from '@nestjs/common';
import { SystemClock } from '@ttfd/clock';
import { loadConfig } from '@ttfd/config';
import { createApp } from '@ttfd/server';
import { RoleGateway, RoleGatewayRegistry } from '@ttfd/sync';

import { BENCH_ADMIN_TOKEN, BENCH_SESSION_SECRET } from './constants';

export { BENCH_ADMIN_TOKEN } from './constants';

const GATEWAY = Symbol('bench role gateway');

@Injectable()
class GatewayRegistration implements OnModuleInit {
  constructor(
    private readonly registry: RoleGatewayRegistry,
    private readonly gateway: RoleGateway,
  ) {}

  onModuleInit(): void {
    this.registry.register(this.gateway);
  }
}

/**
 * Registers a RoleGateway the way the Discord adapter does at boot, so the sync engine runs its
 * real code path against an in-process (or HTTP-backed) guild instead of Discord.
 */
@Module({})
export class BenchGatewayModule {
  static forRoot(gateway: RoleGateway): DynamicModule {
    return {
      module: BenchGatewayModule,
      providers: [
        { provide: GATEWAY, useValue: gateway },
        { provide: RoleGateway, useExisting: GATEWAY },
        GatewayRegistration,
      ],
    };
  }
}

export interface BenchAppOptions {
  databaseUrl: string;
  redisUrl: string;
  roles: string;
  gateway?: RoleGateway;
  env?: Record<string, string>;
}

export interface BenchApp {
  app: INestApplication;
  url: string;
  close(): Promise<void>;
}

/** The whole application (createApp, as main.ts builds it) on loopback, logs off. */
export async function startBenchApp(options: BenchAppOptions): Promise<BenchApp> {
  const config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: options.databaseUrl,
    DATABASE_POOL_SIZE: '20',
    MIGRATIONS_RUN: 'false',
    REDIS_URL: options.redisUrl,
    QUEUE_PREFIX: 'bench',
    ADMIN_TOKEN: BENCH_ADMIN_TOKEN,
    SESSION_SECRET: BENCH_SESSION_SECRET,
    APP_ROLES: options.roles,
    // The load generator is one client on loopback: the per-client throttle would measure itself.
    THROTTLE_LIMIT: '1000000',
    GRAPHQL_RATE_LIMIT: '1000000',
    PLAYER_MUTATION_LIMIT: '1000000',
    // A/B of the dispatcher's grouping window: SYNC_DISPATCH_LINGER_MS=0 npm run bench ...
    ...(process.env.SYNC_DISPATCH_LINGER_MS
      ? { SYNC_DISPATCH_LINGER_MS: process.env.SYNC_DISPATCH_LINGER_MS }
      : {}),
    // A/B of claim loops per lane (and BullMQ slots): SYNC_WORKER_CONCURRENCY=4 npm run bench ...
    ...(process.env.SYNC_WORKER_CONCURRENCY
      ? { SYNC_WORKER_CONCURRENCY: process.env.SYNC_WORKER_CONCURRENCY }
      : {}),
    ...options.env,
  });
  const app = await createApp({
    config,
    clock: new SystemClock(),
    imports: options.gateway ? [BenchGatewayModule.forRoot(options.gateway)] : [],
  });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}
