import { DynamicModule, Module, Type } from '@nestjs/common';
import { Clock, ClockModule, SystemClock } from '@ttfd/clock';
import { AppConfig, ConfigModule } from '@ttfd/config';
import { DatabaseModule, RedisModule } from '@ttfd/database';
import {
  AlertsModule,
  HealthModule,
  LoggingModule,
  LoggingOptions,
  MetricsModule,
} from '@ttfd/observability';
import { roleModules } from './role-modules';

export interface AppModuleOptions {
  config: AppConfig;
  /** Tests pass a ManualClock. */
  clock?: Clock;
  /** Where log lines go instead of stdout (tests read them). */
  logDestination?: LoggingOptions['destination'];
  /** Extra modules (tests: fakes and probes). */
  imports?: (Type<unknown> | DynamicModule)[];
}

@Module({})
export class AppModule {
  static forRoot(options: AppModuleOptions): DynamicModule {
    const { config } = options;
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        ClockModule.forRoot(options.clock ?? new SystemClock()),
        LoggingModule.forRoot(config, { destination: options.logDestination }),
        DatabaseModule.forRoot(config),
        RedisModule,
        HealthModule,
        MetricsModule,
        // Before roleModules: its AlertPublisher binding must win over the sync's default.
        AlertsModule,
        ...roleModules(config),
        ...(options.imports ?? []),
      ],
    };
  }
}
