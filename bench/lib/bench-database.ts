import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrations, warnOnConnectionErrors } from '@ttfd/database';

/** The local Postgres every bench and drill uses; only databases we create are touched. */
export const ADMIN_DATABASE_URL =
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/**
 * A database of this run's own (`ttfd_bench_<label>_<id>`), created empty and migrated, so a
 * bench never depends on, or disturbs, the test template or anyone else's data.
 */
export async function createBenchDatabase(label: string): Promise<BenchDatabase> {
  const name = `ttfd_bench_${label}_${process.pid.toString(36)}_${randomBytes(3).toString('hex')}`;
  assertBenchName(name);
  await withAdmin((admin) => admin.query(`CREATE DATABASE ${name}`));
  const url = urlFor(name);
  const dataSource = new DataSource(dataSourceOptions({ url, poolSize: 2 }));
  await dataSource.initialize();
  try {
    await runMigrations(dataSource, 2);
  } finally {
    await dataSource.destroy();
  }
  return {
    name,
    url,
    drop: () =>
      withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}

/** Cuts every connection to `name` (a drill's own database only: the name is checked). */
export async function terminateConnections(name: string): Promise<number> {
  assertBenchName(name);
  return withAdmin(async (admin) => {
    const result = await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = $1 AND pid <> pg_backend_pid()`,
      [name],
    );
    return result.rowCount ?? 0;
  });
}

function assertBenchName(name: string): void {
  if (!/^[a-z0-9_]+$/.test(name) || !(name.includes('bench') || name.includes('test'))) {
    throw new Error(`Refusing to touch database "${name}": not a bench or test database`);
  }
}

function urlFor(database: string): string {
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * A pool of the bench's own on a bench database. A connection of it can be terminated (the
 * database dropped `WITH (FORCE)` at the end of a section, or cut on purpose by a drill):
 * with an `'error'` listener the pool drops that client and goes on; without one the idle
 * client's error would end the bench.
 */
export function benchPool(url: string, max: number): Pool {
  return warnOnConnectionErrors(new Pool({ connectionString: url, max }), 'bench Postgres pool');
}

async function withAdmin<T>(work: (admin: Client) => Promise<T>): Promise<T> {
  const admin = warnOnConnectionErrors(
    new Client({ connectionString: ADMIN_DATABASE_URL }),
    'bench Postgres admin connection',
  );
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}
