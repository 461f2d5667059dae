import { ManualClock } from '@ttfd/clock';
import { inTransaction } from '@ttfd/database';
import { AccountsService } from '@ttfd/economy';
import { useEconomyApp } from '../support/economy-app';
import { waitFor } from '../support/wait-for';

/**
 * lockSurvivor resolves the merge chain in one statement, then locks its rows in one: a merge
 * that absorbs the survivor between the two is seen under the lock, and the chain resolved again.
 */
describe('Locking the survivor of a merge chain', () => {
  const world = useEconomyApp({ clock: new ManualClock('2026-03-10T12:00:00Z') });
  let accounts: AccountsService;

  beforeAll(() => {
    accounts = world.get(AccountsService);
  });

  it('follows the chain to its end and locks it', async () => {
    const [first, second, last] = [
      await accounts.create(),
      await accounts.create(),
      await accounts.create(),
    ];
    await world.db.query(`UPDATE accounts SET merged_into = $2 WHERE id = $1`, [first, second]);
    await world.db.query(`UPDATE accounts SET merged_into = $2 WHERE id = $1`, [second, last]);
    await world.earn(last, 40);
    const locked = await inTransaction(world.db, undefined, (tx) =>
      accounts.lockSurvivor(first, tx),
    );
    expect(locked).toMatchObject({ id: last, xp: 40, mergedInto: null });
    expect(await accounts.resolveSurvivor(first)).toBe(last);
    await expect(accounts.resolveSurvivor('999999999')).rejects.toMatchObject({
      code: 'ACCOUNT_NOT_FOUND',
    });
  });

  it('resolves again when a merge absorbed the survivor while it waited for the lock', async () => {
    const [absorbed, survivor, next] = [
      await accounts.create(),
      await accounts.create(),
      await accounts.create(),
    ];
    await world.db.query(`UPDATE accounts SET merged_into = $2 WHERE id = $1`, [
      absorbed,
      survivor,
    ]);
    // A merge in progress holds the survivor's row.
    const merge = world.db.createQueryRunner();
    await merge.connect();
    await merge.startTransaction();
    try {
      await merge.query(`SELECT id FROM accounts WHERE id = $1 FOR UPDATE`, [survivor]);
      const locking = inTransaction(world.db, undefined, (tx) =>
        accounts.lockSurvivor(absorbed, tx),
      );
      // The lock waits on the merge's row lock (resolved before it: the chain ended at survivor).
      await waitFor(async () => {
        const rows: unknown[] = await world.db.query(
          `SELECT 1 FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock'
              AND query LIKE '%FOR UPDATE%' AND pid <> pg_backend_pid()`,
        );
        return rows.length > 0;
      });
      await merge.query(`UPDATE accounts SET merged_into = $2 WHERE id = $1`, [survivor, next]);
      await merge.commitTransaction();
      expect((await locking).id).toBe(next);
    } finally {
      if (merge.isTransactionActive) await merge.rollbackTransaction();
      await merge.release();
    }
  });
});
