import { DynamicModule, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions } from 'typeorm';
import { AppConfig } from '@ttfd/config';
import { dataSourceOptions, runMigrations } from './data-source.factory';
import { EmbeddedPostgres } from './embedded-postgres';
import { redactUrl } from './redact-url';

@Module({})
export class DatabaseModule {
  /**
   * Postgres when DATABASE_URL is set; otherwise an embedded PGlite database under DATA_DIR
   * (DATA_DIR=":memory:" keeps it in memory). Migrations run at start unless MIGRATIONS_RUN=false.
   */
  static forRoot(config: AppConfig): DynamicModule {
    const embedded = !config.database.url;
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            ...dataSourceOptions({
              url: config.database.url ?? 'postgres://embedded',
              poolSize: embedded ? 1 : config.database.poolSize,
              acquireTimeoutMs: config.env.DATABASE_ACQUIRE_TIMEOUT_MS,
            }),
            autoLoadEntities: true,
            retryAttempts: 0,
          }),
          dataSourceFactory: (options) => createDataSource(config, options as DataSourceOptions),
        }),
      ],
    };
  }
}

async function createDataSource(
  config: AppConfig,
  options: DataSourceOptions,
): Promise<DataSource> {
  const logger = new Logger('Database');
  let server: EmbeddedPostgres | undefined;
  let finalOptions = options;
  if (!config.database.url) {
    const dir = config.database.dataDir === ':memory:' ? null : config.database.dataDir;
    server = await EmbeddedPostgres.start(dir);
    logger.log(`Embedded PGlite ${dir ? `in ${dir}/pglite` : 'in memory'} (DATABASE_URL is unset)`);
    finalOptions = { ...options, url: server.url } as DataSourceOptions;
  }
  const dataSource = new DataSource(finalOptions);
  try {
    await dataSource.initialize();
  } catch (error) {
    await server?.stop();
    throw new Error(
      `Postgres did not answer at DATABASE_URL ${redactUrl(config.database.url ?? '')}: ${
        (error as Error).message
      }`,
    );
  }
  if (config.database.migrationsRun) {
    const applied = await runMigrations(dataSource, server ? 1 : config.database.poolSize);
    if (applied.length > 0) logger.log(`Applied migrations: ${applied.join(', ')}`);
  }
  if (server) {
    const embeddedServer = server;
    const destroy = dataSource.destroy.bind(dataSource);
    // The embedded server must outlive the pool in front of it.
    dataSource.destroy = async () => {
      await destroy();
      await embeddedServer.stop();
    };
  }
  return dataSource;
}
