import { DataSource } from 'typeorm';
import { dataSourceOptions, EmbeddedPostgres, runMigrations } from '@ttfd/database';
import { MIGRATIONS } from '@ttfd/migrations';
import { createEmptyTestDatabase, TestDatabase } from '../support/test-database';

async function userTables(dataSource: DataSource): Promise<string[]> {
  const rows: { tablename: string }[] = await dataSource.query(
    `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'typeorm_migrations' ORDER BY 1`,
  );
  return rows.map((row) => row.tablename);
}

async function upDownUp(dataSource: DataSource, poolSize: number): Promise<void> {
  await runMigrations(dataSource, poolSize);
  const tables = await userTables(dataSource);
  expect(tables).toEqual(
    expect.arrayContaining([
      'accounts',
      'identities',
      'ledger_entries',
      'sync_events',
      'ranks',
      'rank_role_mappings',
      'achievements',
      'account_achievements',
      'achievement_role_mappings',
      'seasons',
      'link_codes',
      'game_sessions',
      'voice_sessions',
    ]),
  );
  expect((await dataSource.query('SELECT count(*)::int AS n FROM ranks'))[0].n).toBe(20);
  expect((await dataSource.query('SELECT count(*)::int AS n FROM rank_role_mappings'))[0].n).toBe(
    20,
  );
  // Any write to a mapping table bumps the mappings' version in the writer's transaction.
  const version = async () =>
    Number((await dataSource.query('SELECT version FROM role_mappings_state'))[0].version);
  const before = await version();
  await dataSource.query(`UPDATE rank_role_mappings SET discord_role_id = NULL WHERE rank_id = 1`);
  await dataSource.query(
    `INSERT INTO retired_role_ids (discord_role_id) VALUES ('123456789012345678')`,
  );
  expect(await version()).toBe(before + 2);

  for (let i = 0; i < MIGRATIONS.length; i++)
    await dataSource.undoLastMigration({ transaction: 'each' });
  expect(await userTables(dataSource)).toEqual([]);

  await runMigrations(dataSource, poolSize);
  expect(await userTables(dataSource)).toEqual(tables);
}

describe('migrations run up, down and up again', () => {
  it('on PostgreSQL', async () => {
    const database: TestDatabase = await createEmptyTestDatabase();
    const dataSource = new DataSource(dataSourceOptions({ url: database.url, poolSize: 2 }));
    await dataSource.initialize();
    try {
      await upDownUp(dataSource, 2);
    } finally {
      await dataSource.destroy();
      await database.drop();
    }
  });

  it('on PGlite', async () => {
    const embedded = await EmbeddedPostgres.start(null);
    const dataSource = new DataSource(dataSourceOptions({ url: embedded.url, poolSize: 1 }));
    await dataSource.initialize();
    try {
      await upDownUp(dataSource, 1);
    } finally {
      await dataSource.destroy();
      await embedded.stop();
    }
  });
});

describe('the schema protects its rules', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createEmptyTestDatabase();
    dataSource = new DataSource(dataSourceOptions({ url: database.url, poolSize: 2 }));
    await dataSource.initialize();
    await runMigrations(dataSource, 2);
  });

  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it('refuses negative coins, a reused idempotency key, a second open season', async () => {
    const [{ id }] = await dataSource.query(`INSERT INTO accounts DEFAULT VALUES RETURNING id`);
    await expect(
      dataSource.query(`UPDATE accounts SET coins = -1 WHERE id = $1`, [id]),
    ).rejects.toThrow(/check/i);
    const entry = `INSERT INTO ledger_entries (account_id, xp_delta, reason, source, idempotency_key)
                   VALUES ($1, 10, 'game_guess', 'telegram', 'k1')`;
    await dataSource.query(entry, [id]);
    await expect(dataSource.query(entry, [id])).rejects.toThrow(
      /ledger_entries_idempotency_key_uq/,
    );
    const season = `INSERT INTO seasons (name, starts_at, ends_at) VALUES ('s', now(), now() + interval '1 day')`;
    await dataSource.query(season);
    await expect(dataSource.query(season)).rejects.toThrow(/seasons_one_open_uq/);
  });

  it('allows one Telegram and one Discord identity per account', async () => {
    const [{ id }] = await dataSource.query(`INSERT INTO accounts DEFAULT VALUES RETURNING id`);
    await dataSource.query(
      `INSERT INTO identities (account_id, platform, external_id) VALUES ($1, 'telegram', '1')`,
      [id],
    );
    await expect(
      dataSource.query(
        `INSERT INTO identities (account_id, platform, external_id) VALUES ($1, 'telegram', '2')`,
        [id],
      ),
    ).rejects.toThrow(/identities_account_platform_uq/);
  });
});
