import { LedgerRepository } from '@ttfd/economy';
import {
  award,
  discordPlayer,
  newDiscordUserId,
  reconcileNow,
  settled,
  startSyncWorld,
  SyncWorld,
} from './sync-harness';

/**
 * "Totals and rank from the ledger" has one home, LedgerRepository.recompute: the merge of two
 * accounts and reconcile's repair both go through it (reconcile through the sync's
 * AccountRecompute port). Each case plants a drift and shows the same method setting it right.
 */
describe('one recompute of totals and rank', () => {
  let world: SyncWorld;
  let recompute: jest.SpyInstance;

  beforeAll(async () => {
    world = await startSyncWorld();
    recompute = jest.spyOn(world.app.app.get(LedgerRepository), 'recompute');
  });

  afterAll(async () => {
    recompute.mockRestore();
    await world.app.close();
  });

  beforeEach(async () => {
    await settled(world);
    recompute.mockClear();
  });

  /** The account's stored totals and rank next to what its ledger rows say. */
  async function storedAndLedger(accountId: string) {
    const [row]: Record<string, string | number>[] = await world.db.query(
      `SELECT a.xp, a.coins, a.rank_id,
              COALESCE(sum(l.xp_delta), 0) AS ledger_xp,
              COALESCE(sum(l.coins_delta), 0) AS ledger_coins,
              rank_for_xp(COALESCE(sum(l.xp_delta), 0)::bigint) AS ledger_rank
         FROM accounts a LEFT JOIN ledger_entries l ON l.account_id = a.id
        WHERE a.id = $1 GROUP BY a.id`,
      [accountId],
    );
    return {
      stored: { xp: String(row.xp), coins: String(row.coins), rank: Number(row.rank_id) },
      ledger: {
        xp: String(row.ledger_xp),
        coins: String(row.ledger_coins),
        rank: Number(row.ledger_rank),
      },
    };
  }

  function recomputedAccounts(): string[] {
    return recompute.mock.calls.map((call) => String(call[1]));
  }

  it('the merge sets a drifted survivor to its ledger, now holding both accounts’ rows', async () => {
    const tg = newDiscordUserId();
    const { accountId: survivor } = await world.identities.resolve('telegram', tg);
    const discord = await discordPlayer(world);
    await award(world, survivor, 100);
    await award(world, discord.accountId, 5_000);
    await settled(world);
    // Drift planted on the survivor: totals and rank no longer what its ledger says.
    await world.db.query(`UPDATE accounts SET xp = 9999, coins = 77, rank_id = 5 WHERE id = $1`, [
      survivor,
    ]);

    const { code } = await world.links.issueCode('telegram', tg);
    await world.links.redeem('discord', discord.userId, code);

    const after = await storedAndLedger(survivor);
    expect(after.ledger.xp).toBe('5100');
    expect(after.stored).toEqual(after.ledger);
    expect(recomputedAccounts()).toEqual([survivor]);
  });

  it('reconcile sets a drifted account to its ledger through the same recompute', async () => {
    const player = await discordPlayer(world);
    await award(world, player.accountId, 5_000);
    await settled(world);
    await world.db.query(`UPDATE accounts SET xp = 8000, coins = 77, rank_id = 5 WHERE id = $1`, [
      player.accountId,
    ]);

    const report = await reconcileNow(world);

    expect(report.status).toBe('completed');
    expect(report.fixed).toMatchObject({ totals: 1, rank: 1 });
    const after = await storedAndLedger(player.accountId);
    expect(after.ledger).toEqual({ xp: '5000', coins: '0', rank: 4 });
    expect(after.stored).toEqual(after.ledger);
    expect(recomputedAccounts()).toEqual([player.accountId]);
  });
});
