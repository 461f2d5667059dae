import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the tests find Postgres (an admin connection) and Redis. */
export const TEST_ADMIN_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Every database the tests make has this in its name; nothing else is ever dropped. */
export const TEST_DATABASE_MARK = 'ttfd_test';

/** The template's name changes whenever a migration does, so a stale template is never used. */
export function templateDatabaseName(): string {
  const dir = join(__dirname, '..', '..', 'migrations');
  const hash = createHash('sha256');
  for (const file of readdirSync(dir).sort())
    hash.update(file).update(readFileSync(join(dir, file)));
  return `${TEST_DATABASE_MARK}_tpl_${hash.digest('hex').slice(0, 12)}`;
}

export function assertTestDatabaseName(name: string): void {
  if (!name.includes('test') || !/^[a-z0-9_]+$/.test(name)) {
    throw new Error(
      `Refusing to touch database "${name}": test databases must have "test" in their name`,
    );
  }
}

/** Set by the global setup; the same for every suite of one jest run. */
export function testRunId(): string {
  const id = process.env.TTFD_TEST_RUN_ID;
  if (!id) throw new Error('TTFD_TEST_RUN_ID is unset: run integration and e2e tests through jest');
  return id;
}

export function adminUrlFor(database: string): string {
  const url = new URL(TEST_ADMIN_DATABASE_URL);
  url.pathname = `/${database}`;
  return url.toString();
}
