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

/**
 * The bench app's environment, logs off: for the app in this process (startBenchApp) and for a
 * built one in a process of its own (AppProcess, which sets PORT and HOST).
 */
export function benchAppEnv(options: Omit<BenchAppOptions, 'gateway'>): Record<string, string> {
  return {
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
    // A/B of claim loops per lane: SYNC_LANE_CLAIMERS=16 npm run bench ...
    ...(process.env.SYNC_LANE_CLAIMERS
      ? { SYNC_LANE_CLAIMERS: process.env.SYNC_LANE_CLAIMERS }
      : {}),
    ...options.env,
  };
}

/** The whole application (createApp, as main.ts builds it) on loopback, logs off. */
export async function startBenchApp(options: BenchAppOptions): Promise<BenchApp> {
  const config = loadConfig(benchAppEnv(options));
  const app = await createApp({
    config,
    clock: new SystemClock(),
    imports: options.gateway ? [BenchGatewayModule.forRoot(options.gateway)] : [],
  });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}
