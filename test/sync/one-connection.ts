import { DataSource } from 'typeorm';
import { ManualClock } from '@ttfd/clock';
import { loadConfig } from '@ttfd/config';
import { dataSourceOptions } from '@ttfd/database';
import { SyncEventRepository } from '@ttfd/sync';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/**
 * The sync transport's repository on a fresh database through a pool of one connection, for
 * tests that read what the server keeps per connection (prepared plans, WAL statistics): every
 * statement of the test runs on that one backend.
 */
export interface OneConnection {
  database: TestDatabase;
  dataSource: DataSource;
  events: SyncEventRepository;
  close(): Promise<void>;
}

export async function oneConnectionRepository(): Promise<OneConnection> {
  const database = await createTestDatabase();
  const dataSource = new DataSource(dataSourceOptions({ url: database.url, poolSize: 1 }));
  await dataSource.initialize();
  const config = loadConfig({ DATABASE_URL: database.url, SYNC_LEASE_MS: '30000' });
  return {
    database,
    dataSource,
    events: new SyncEventRepository(dataSource, new ManualClock(), config),
    close: async () => {
      await dataSource.destroy();
      await database.drop();
    },
  };
}
