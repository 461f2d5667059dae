import { DataSource } from 'typeorm';
import { dataSourceOptions, EmbeddedPostgres, runMigrations } from '@ttfd/database';

/**
 * The reason we use pglite-socket with a pool of one instead of typeorm-pglite: there, one
 * transaction's rollback erased another's committed insert. Here each transaction owns the
 * single session until it ends, so the other waits and commits on its own.
 */
describe('PGlite through pglite-socket', () => {
  let embedded: EmbeddedPostgres;
  let dataSource: DataSource;

  beforeAll(async () => {
    embedded = await EmbeddedPostgres.start(null);
    dataSource = new DataSource(dataSourceOptions({ url: embedded.url, poolSize: 1 }));
    await dataSource.initialize();
    await runMigrations(dataSource, 1);
  });

  afterAll(async () => {
    await dataSource.destroy();
    await embedded.stop();
  });

  it('keeps a committed row when a concurrent transaction rolls back', async () => {
    let releaseRollback!: () => void;
    const rollbackMayProceed = new Promise<void>((resolve) => (releaseRollback = resolve));

    const rollingBack = dataSource
      .transaction(async (manager) => {
        await manager.query(`INSERT INTO accounts (xp) VALUES (111)`);
        await rollbackMayProceed;
        throw new Error('roll back on purpose');
      })
      .catch((error: Error) => error.message);

    const committing = dataSource.transaction(async (manager) => {
      await manager.query(`INSERT INTO accounts (xp) VALUES (222)`);
    });

    // Let the first transaction hold the session while the second is queued behind it.
    await new Promise((resolve) => setImmediate(resolve));
    releaseRollback();
    expect(await rollingBack).toBe('roll back on purpose');
    await committing;

    const rows: { xp: string }[] = await dataSource.query(`SELECT xp FROM accounts ORDER BY id`);
    expect(rows.map((row) => Number(row.xp))).toEqual([222]);
  });

  it('runs many interleaved transactions without losing or leaking any', async () => {
    await dataSource.query(`DELETE FROM accounts`);
    const outcomes = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        dataSource
          .transaction(async (manager) => {
            await manager.query(`INSERT INTO accounts (xp) VALUES ($1)`, [i]);
            if (i % 2 === 1) throw new Error('odd rolls back');
          })
          .then(
            () => 'committed',
            () => 'rolled back',
          ),
      ),
    );
    expect(outcomes.filter((o) => o === 'committed')).toHaveLength(20);
    const rows: { xp: string }[] = await dataSource.query(`SELECT xp FROM accounts ORDER BY xp`);
    expect(rows.map((row) => Number(row.xp))).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
  });
});
