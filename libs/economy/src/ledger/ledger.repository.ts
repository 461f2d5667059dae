import { Injectable, OnModuleInit } from '@nestjs/common';
import { Clock } from '@ttfd/clock';
import { Tx } from '@ttfd/database';
import {
  AccountRecompute,
  AccountRecomputeRegistry,
  AccountTotals,
  mutateReturning,
} from '@ttfd/sync';

interface TotalsRow {
  xp: string;
  coins: string;
  rank_id: number;
}

function totalsOf(row: TotalsRow): AccountTotals {
  return { xp: String(row.xp), coins: String(row.coins), rankId: Number(row.rank_id) };
}

/**
 * The one recompute of an account's totals and rank from its ledger rows ("totals always
 * equal ledger sums"): the merge after it moves the absorbed account's rows (@ttfd/linking) and
 * reconcile's repair of drift (@ttfd/sync, through AccountRecomputeRegistry) both call it.
 */
@Injectable()
export class LedgerRepository implements AccountRecompute, OnModuleInit {
  constructor(
    private readonly registry: AccountRecomputeRegistry,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  /**
   * Inside the caller's transaction. Takes the account's row lock first (a no-op for a caller
   * that already holds it), so `before` is what was stored once no award is in flight: an
   * award committed since a caller's scan is never taken for drift.
   */
  async recompute(
    tx: Tx,
    accountId: string,
  ): Promise<{ before: AccountTotals; after: AccountTotals }> {
    const [before]: TotalsRow[] = await tx.manager.query(
      `SELECT xp, coins, rank_id FROM accounts WHERE id = $1 FOR UPDATE`,
      [accountId],
    );
    const [after] = await mutateReturning<TotalsRow>(
      tx.manager,
      `UPDATE accounts a
          SET xp = s.xp, coins = s.coins, updated_at = $2,
              rank_id = rank_for_xp(s.xp::bigint)
         FROM (SELECT COALESCE(sum(xp_delta), 0) AS xp, COALESCE(sum(coins_delta), 0) AS coins
                 FROM ledger_entries WHERE account_id = $1) s
        WHERE a.id = $1
        RETURNING a.xp, a.coins, a.rank_id`,
      [accountId, this.clock.now()],
    );
    return { before: totalsOf(before), after: totalsOf(after) };
  }
}
