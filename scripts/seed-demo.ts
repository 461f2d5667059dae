/**
 * `npm run seed:demo`: fills the database (DATABASE_URL, or the embedded PGlite under DATA_DIR
 * when unset) with a believable community so a newcomer sees a live dashboard on first start.
 * Idempotent: a second run adds nothing. The embedded database is single-process: run this
 * while the app is stopped.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '@ttfd/config';
import { assertRedisAnswers } from '@ttfd/database';
import { createApp } from '@ttfd/server';
import { seedDemoCommunity } from './seed-demo-community';

async function main(): Promise<void> {
  // api for the role-mapping service; on Postgres also worker, so the seeded events complete as
  // they would live. The embedded PGlite serves one connection, which the worker's concurrent
  // transactions would wait on: there the app completes the events on its first start.
  const embedded = !process.env.DATABASE_URL;
  const config = loadConfig({
    LOG_LEVEL: 'warn',
    ...process.env,
    APP_ROLES: embedded ? 'api' : 'api,worker',
  });
  await assertRedisAnswers(config.redis.url);
  const app = await createApp({ config });
  await app.init();
  try {
    const community = await seedDemoCommunity(app, {
      people: Number(process.env.SEED_PEOPLE ?? 40),
      settleMs: embedded ? 0 : 60_000,
    });
    const [counts]: { accounts: string; entries: string; events: string; failed: string }[] =
      await app.get(DataSource).query(
        `SELECT (SELECT count(*) FROM accounts WHERE merged_into IS NULL) AS accounts,
                (SELECT count(*) FROM ledger_entries) AS entries,
                (SELECT count(*) FROM sync_events) AS events,
                (SELECT count(*) FROM sync_events WHERE status = 'failed') AS failed`,
      );
    process.stdout.write(
      `Demo community ready: ${community.players.length} people, ${counts.accounts} accounts, ` +
        `${counts.entries} ledger entries, ${counts.events} sync events ` +
        `(${counts.failed} failed: event ${community.failedEventId}).\n`,
    );
  } finally {
    await app.close();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`seed:demo failed: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
