import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@ttfd/config';
import { inTransaction } from '@ttfd/database';
import { OutboxWriter } from '../outbox/outbox.writer';
import { AccountRecomputeRegistry } from '../ports/registries';
import {
  ACCOUNT_TOTALS_FULL_PASS_SQL,
  ACCOUNT_TOTALS_FULL_PASS_WORK_MEM,
} from './account-totals-full-pass.sql';
import { ReconcileTally } from './reconcile-tally';

interface AccountRow {
  id: string;
  xp: string;
  coins: string;
  rank_id: number;
  ledger_xp: string;
  ledger_coins: string;
  ledger_rank: number;
}

const ACCOUNT_CHECK_SQL = `
  SELECT a.id, a.xp, a.coins, a.rank_id,
         COALESCE(s.xp, 0) AS ledger_xp, COALESCE(s.coins, 0) AS ledger_coins,
         rank_for_xp(COALESCE(s.xp, 0)::bigint) AS ledger_rank
    FROM accounts a
    LEFT JOIN LATERAL (SELECT sum(xp_delta) AS xp, sum(coins_delta) AS coins
                         FROM ledger_entries l WHERE l.account_id = a.id) s ON true`;

/**
 * Reconcile's check of account totals and rank: each live account's stored XP and coins
 * against its ledger sums, and its stored rank against that XP: the full pass in one grouped
 * statement, the incremental pass's accounts in batches of RECONCILE_BATCH_SIZE. A drifted
 * account is rebuilt by the ledger's one recompute (AccountRecompute, LedgerRepository in
 * @ttfd/economy); a rank it changes writes a `roles.resync` so the member's Discord roles follow.
 */
@Injectable()
export class AccountTotalsCheck {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly recompute: AccountRecomputeRegistry,
    private readonly config: AppConfig,
  ) {}

  /** Every account (the full pass), in one grouped statement (ACCOUNT_TOTALS_FULL_PASS_SQL). */
  async run(tally: ReconcileTally): Promise<void> {
    const rows = await inTransaction(this.dataSource, undefined, async ({ manager }) => {
      await manager.query(`SET LOCAL work_mem = '${ACCOUNT_TOTALS_FULL_PASS_WORK_MEM}'`);
      return (await manager.query(ACCOUNT_TOTALS_FULL_PASS_SQL)) as (AccountRow & {
        checked: string;
      })[];
    });
    tally.checked.accounts += Number(rows[0]?.checked ?? 0);
    await this.repairDrifted(
      rows.filter((row) => row.id !== null),
      tally,
    );
  }

  /** The given accounts only (the incremental pass: changed ones and the rolling slice). */
  async runFor(accountIds: string[], tally: ReconcileTally): Promise<void> {
    const batch = this.config.env.RECONCILE_BATCH_SIZE;
    for (let i = 0; i < accountIds.length; i += batch) {
      const rows: AccountRow[] = await this.dataSource.query(
        `${ACCOUNT_CHECK_SQL} WHERE a.merged_into IS NULL AND a.id = ANY($1::bigint[])`,
        [accountIds.slice(i, i + batch)],
      );
      await this.checkRows(rows, tally);
    }
  }

  private async checkRows(rows: AccountRow[], tally: ReconcileTally): Promise<void> {
    tally.checked.accounts += rows.length;
    await this.repairDrifted(rows, tally);
  }

  private async repairDrifted(rows: AccountRow[], tally: ReconcileTally): Promise<void> {
    for (const row of rows) {
      const totalsDrift = row.xp !== row.ledger_xp || row.coins !== row.ledger_coins;
      const rankDrift = Number(row.rank_id) !== Number(row.ledger_rank);
      if (!totalsDrift && !rankDrift) continue;
      if (totalsDrift) tally.drifted.totals += 1;
      if (rankDrift) tally.drifted.rank += 1;
      const repaired = await this.repair(String(row.id));
      if (repaired.totals) tally.fixed.totals += 1;
      if (repaired.rank) tally.fixed.rank += 1;
    }
  }

  /** The recompute re-reads under the row lock: an award committed since the scan is not "drift". */
  private async repair(accountId: string): Promise<{ totals: boolean; rank: boolean }> {
    return inTransaction(this.dataSource, undefined, async (tx) => {
      const { before, after } = await this.recompute.get().recompute(tx, accountId);
      const totals = before.xp !== after.xp || before.coins !== after.coins;
      const rank = before.rankId !== after.rankId;
      if (rank) {
        await this.outbox.append(tx, [
          {
            type: 'roles.resync',
            source: 'system',
            accountId,
            payload: { reason: 'reconcile', from: before.rankId, to: after.rankId },
          },
        ]);
      }
      return { totals, rank };
    });
  }
}
