import { DataSource, DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '@ttfd/migrations';
import { connectionWarning } from './connection-warnings';

export interface DataSourceSettings {
  url: string;
  poolSize: number;
  entities?: DataSourceOptions['entities'];
  applicationName?: string;
  /** How long a query may wait for a free pooled connection (queueing included). */
  acquireTimeoutMs?: number;
}

/**
 * The one place that knows how we talk to Postgres. `synchronize` is off everywhere: the
 * schema changes only through the hand-written migrations.
 */
export function dataSourceOptions(settings: DataSourceSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: settings.url,
    synchronize: false,
    migrationsRun: false,
    migrations: MIGRATIONS,
    migrationsTableName: 'typeorm_migrations',
    entities: settings.entities ?? [],
    // Errors reach callers as exceptions and are logged there, with context; not twice.
    logging: false,
    // An idle pooled connection that dies (a restarted or failed-over server, a terminated
    // backend) is replaced by the pool; this only says so. Every pool built from these
    // options, the app's, the tests' and the bench's, survives it.
    poolErrorHandler: connectionWarning('Postgres pool'),
    extra: {
      max: settings.poolSize,
      application_name: settings.applicationName ?? 'ttfd-sync',
      // A pool that cannot hand out a connection in time is an outage to report, not to wait on.
      connectionTimeoutMillis: settings.acquireTimeoutMs ?? 10_000,
    },
  };
}

/**
 * Runs pending migrations. With a real server several processes may start at once: an advisory
 * lock on a dedicated connection serializes them. A single-connection pool (PGlite) is one
 * process by definition and cannot spare a connection for the lock.
 */
export async function runMigrations(dataSource: DataSource, poolSize: number): Promise<string[]> {
  if (poolSize < 2) {
    return (await dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name);
  }
  const lockRunner = dataSource.createQueryRunner();
  await lockRunner.connect();
  try {
    await lockRunner.query('SELECT pg_advisory_lock(hashtext($1))', ['ttfd:migrations']);
    const done = await dataSource.runMigrations({ transaction: 'each' });
    return done.map((m) => m.name);
  } finally {
    await lockRunner.query('SELECT pg_advisory_unlock(hashtext($1))', ['ttfd:migrations']);
    await lockRunner.release();
  }
}
