// jest's moduleNameMapper does not apply to globalSetup: resolve the @ttfd/* aliases here.
import 'tsconfig-paths/register';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrations } from '@ttfd/database';
import {
  adminUrlFor,
  assertTestDatabaseName,
  TEST_ADMIN_DATABASE_URL,
  templateDatabaseName,
} from './test-env';

/**
 * Once per jest run: make sure a migrated template database exists (built under an advisory
 * lock, so parallel runs do not race), and give the run an id that names its databases and
 * Redis prefixes. Suites copy the template (`CREATE DATABASE ... TEMPLATE`), which takes
 * milliseconds instead of migrating each time.
 */
export default async function globalSetup(): Promise<void> {
  // One id for the whole run, even when several projects run this setup.
  process.env.TTFD_TEST_RUN_ID ??= `${Date.now().toString(36)}${process.pid.toString(36)}`;
  const template = templateDatabaseName();
  assertTestDatabaseName(template);
  process.env.TTFD_TEST_TEMPLATE = template;

  const admin = new Client({ connectionString: TEST_ADMIN_DATABASE_URL });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `Tests need Postgres at ${TEST_ADMIN_DATABASE_URL} (set TEST_DATABASE_URL to change it): ${
        (error as Error).message
      }`,
    );
  }
  try {
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', ['ttfd:test-template']);
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
    if (exists.rowCount === 0) {
      const building = `${template}_building`;
      await admin.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${building}`);
      const dataSource = new DataSource(
        dataSourceOptions({ url: adminUrlFor(building), poolSize: 2 }),
      );
      await dataSource.initialize();
      try {
        await runMigrations(dataSource, 2);
      } finally {
        await dataSource.destroy();
      }
      // Renamed only when complete: a crash mid-build never leaves a half-migrated template.
      await admin.query(`ALTER DATABASE ${building} RENAME TO ${template}`);
      await admin.query(`ALTER DATABASE ${template} WITH IS_TEMPLATE true`);
    }
  } finally {
    await admin
      .query('SELECT pg_advisory_unlock(hashtext($1))', ['ttfd:test-template'])
      .catch(() => undefined);
    await admin.end();
  }
}
