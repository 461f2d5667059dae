import { Tx } from '@ttfd/database';

/** An account's stored totals and rank, as read or written by a recompute. */
export interface AccountTotals {
  xp: string;
  coins: string;
  rankId: number;
}

/**
 * Sets an account's totals and rank from its ledger, inside the caller's transaction, under
 * the account's row lock. One implementation: LedgerRepository in @ttfd/economy, which the
 * ledger owns; reconcile reaches it through this port because the economy depends on the sync,
 * not the other way round.
 */
export interface AccountRecompute {
  recompute(tx: Tx, accountId: string): Promise<{ before: AccountTotals; after: AccountTotals }>;
}
