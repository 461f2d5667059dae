import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ConfigValidationError, loadConfig } from '@ttfd/config';
import { dataSourceOptions, EmbeddedPostgres, redactUrl, runMigrations } from '@ttfd/database';

/**
 * `npm run migration:run` / `npm run migration:revert` (one migration per call), against
 * DATABASE_URL, or the embedded database under DATA_DIR when it is unset.
 */
async function main(command: string | undefined): Promise<void> {
  if (command !== 'run' && command !== 'revert' && command !== 'show') {
    throw new Error('usage: migrate run | revert | show');
  }
  const config = loadConfig(process.env);
  const embedded = config.database.url
    ? undefined
    : await EmbeddedPostgres.start(config.database.dataDir);
  const url = config.database.url ?? embedded!.url;
  const poolSize = embedded ? 1 : 2;
  const dataSource = new DataSource(dataSourceOptions({ url, poolSize }));
  await dataSource.initialize();
  try {
    process.stdout.write(
      `Database: ${embedded ? `embedded PGlite in ${config.database.dataDir}` : redactUrl(url)}\n`,
    );
    if (command === 'run') {
      const applied = await runMigrations(dataSource, poolSize);
      process.stdout.write(
        applied.length ? `Applied: ${applied.join(', ')}\n` : 'Nothing to apply.\n',
      );
    } else if (command === 'revert') {
      await dataSource.undoLastMigration({ transaction: 'each' });
      process.stdout.write('Reverted the last migration.\n');
    } else {
      const pending = await dataSource.showMigrations();
      process.stdout.write(pending ? 'Migrations are pending.\n' : 'Up to date.\n');
    }
  } finally {
    await dataSource.destroy();
    await embedded?.stop();
  }
}

main(process.argv[2]).catch((error: Error) => {
  process.stderr.write(
    error instanceof ConfigValidationError
      ? `${error.message}\n`
      : `Migration failed: ${error.message}\n`,
  );
  process.exit(1);
});
