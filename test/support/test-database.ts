import { Client } from 'pg';
import { deleteRedisKeys } from './global-teardown';
import {
  adminUrlFor,
  assertTestDatabaseName,
  TEST_ADMIN_DATABASE_URL,
  TEST_DATABASE_MARK,
  testRunId,
} from './test-env';

let counter = 0;

function uniqueSuffix(): string {
  counter += 1;
  return `${process.pid.toString(36)}_${counter}_${Math.random().toString(36).slice(2, 7)}`;
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database copied from the run's template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = process.env.TTFD_TEST_TEMPLATE;
  if (!template) throw new Error('TTFD_TEST_TEMPLATE is unset: the jest globalSetup did not run');
  const name = `${TEST_DATABASE_MARK}_${testRunId()}_${uniqueSuffix()}`;
  assertTestDatabaseName(name);
  await withAdmin((admin) => admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  return {
    name,
    url: adminUrlFor(name),
    drop: () =>
      withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}

/** An empty database (no migrations), for migration tests. */
export async function createEmptyTestDatabase(): Promise<TestDatabase> {
  const name = `${TEST_DATABASE_MARK}_${testRunId()}_${uniqueSuffix()}`;
  assertTestDatabaseName(name);
  await withAdmin((admin) => admin.query(`CREATE DATABASE ${name}`));
  return {
    name,
    url: adminUrlFor(name),
    drop: () =>
      withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}

/** A Redis key prefix of this suite's own; `cleanup` deletes everything under it. */
export function createRedisPrefix(): { prefix: string; cleanup(): Promise<void> } {
  const prefix = `ttfd-test-${testRunId()}-${uniqueSuffix()}`;
  return { prefix, cleanup: () => deleteRedisKeys(`${prefix}*`) };
}

async function withAdmin<T>(work: (admin: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: TEST_ADMIN_DATABASE_URL });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}
