import { DynamicModule, Global, Module, Type } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Clock, ClockModule, ManualClock } from '@ttfd/clock';
import { ConfigModule, loadConfig } from '@ttfd/config';
import { dataSourceOptions } from '@ttfd/database';
import {
  AccountRecomputeRegistry,
  OutboxDispatcher,
  OutboxWriter,
  RankUpListeners,
  SyncObservers,
} from '@ttfd/sync';
import { EconomyModule } from '../economy.module';
import { RecordingOutboxDispatcher } from './recording-outbox.dispatcher';

export interface EconomyTestingOptions {
  /** A test database's URL (createTestDatabase()). */
  databaseUrl: string;
  clock?: Clock;
  poolSize?: number;
  env?: Record<string, string | undefined>;
  dispatcher?: OutboxDispatcher;
  /** More modules on top of the economy (e.g. GamesModule). */
  imports?: (Type<unknown> | DynamicModule)[];
}

@Global()
@Module({})
class TestOutboxModule {
  static forRoot(dispatcher: OutboxDispatcher): DynamicModule {
    return {
      module: TestOutboxModule,
      providers: [
        { provide: OutboxDispatcher, useValue: dispatcher },
        OutboxWriter,
        SyncObservers,
        RankUpListeners,
        AccountRecomputeRegistry,
      ],
      exports: [OutboxDispatcher, OutboxWriter, RankUpListeners, AccountRecomputeRegistry],
    };
  }
}

/**
 * The economy on a real database, without the rest of the app: config, clock, TypeORM, an
 * outbox writer with a recording dispatcher. Used by integration specs of economy and games.
 * (Uses production dependencies only, so it may live beside the code.)
 */
export function economyTestingModule(options: EconomyTestingOptions): DynamicModule {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: options.databaseUrl,
    APP_ROLES: 'api',
    ...options.env,
  });
  return {
    module: class EconomyTestingRoot {},
    imports: [
      ConfigModule.forRoot(config),
      ClockModule.forRoot(options.clock ?? new ManualClock()),
      TypeOrmModule.forRoot({
        ...dataSourceOptions({
          url: options.databaseUrl,
          poolSize: options.poolSize ?? 10,
          // Tests fire thousands of calls at once on purpose: they queue for a connection.
          acquireTimeoutMs: 120_000,
        }),
        retryAttempts: 0,
      }),
      TestOutboxModule.forRoot(options.dispatcher ?? new RecordingOutboxDispatcher()),
      EconomyModule,
      ...(options.imports ?? []),
    ],
  };
}
