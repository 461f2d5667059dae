import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@ttfd/config';
import { inTransaction } from '@ttfd/database';

export interface SeasonScoresOutcome {
  checked: number;
  drifted: number;
  fixed: number;
}

/**
 * Reconcile's check of the `season_scores` read model (kept by every award in its transaction,
 * see SeasonMembership in @ttfd/economy): each account's score in the open season against the
 * sum of its positive XP ledger rows of that season (the full pass in one grouped statement, the
 * incremental pass for its accounts in batches). A drifted score is rebuilt from the ledger under
 * the season's shared lock and the account's row lock, the same locks an award takes, so an
 * award in flight is never taken for drift.
 */
@Injectable()
export class SeasonScoresCheck {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /**
   * Every score of the open season (the full pass), in one statement: the season's ledger rows
   * grouped once (an index-only pass over `ledger_entries_season_idx`) against its scores, not a
   * per-batch probe per account. `checked` counts the accounts on either side.
   */
  async run(): Promise<SeasonScoresOutcome> {
    const outcome: SeasonScoresOutcome = { checked: 0, drifted: 0, fixed: 0 };
    const seasonId = await this.openSeason();
    if (seasonId === null) return outcome;
    const [found]: { checked: string; drifted: string[] | null }[] = await inTransaction(
      this.dataSource,
      undefined,
      async ({ manager }) => {
        // The grouping of the season's rows fits in memory instead of spilling to disk.
        await manager.query(`SET LOCAL work_mem = '64MB'`);
        return manager.query(
          `SELECT count(*) AS checked,
                  array_agg(account_id) FILTER (WHERE l.xp IS DISTINCT FROM s.xp) AS drifted
             FROM (SELECT account_id, sum(xp_delta) AS xp FROM ledger_entries
                    WHERE season_id = $1 AND xp_delta > 0 GROUP BY account_id) l
             FULL JOIN (SELECT account_id, xp FROM season_scores WHERE season_id = $1) s
                    USING (account_id)`,
          [seasonId],
        );
      },
    );
    outcome.checked = Number(found.checked);
    await this.repairAll(seasonId, (found.drifted ?? []).map(String), outcome);
    return outcome;
  }

  /** The given accounts only (the incremental pass: changed ones and the rolling slice). */
  async runFor(accountIds: string[]): Promise<SeasonScoresOutcome> {
    const outcome: SeasonScoresOutcome = { checked: 0, drifted: 0, fixed: 0 };
    const seasonId = await this.openSeason();
    if (seasonId === null) return outcome;
    const batch = this.config.env.RECONCILE_BATCH_SIZE;
    for (let i = 0; i < accountIds.length; i += batch) {
      await this.checkBatch(seasonId, accountIds.slice(i, i + batch), outcome);
    }
    return outcome;
  }

  private async openSeason(): Promise<number | null> {
    const [open]: { id: number }[] = await this.dataSource.query(
      `SELECT id FROM seasons WHERE status = 'open'`,
    );
    return open ? Number(open.id) : null;
  }

  private async checkBatch(
    seasonId: number,
    accountIds: string[],
    outcome: SeasonScoresOutcome,
  ): Promise<void> {
    outcome.checked += accountIds.length;
    await this.repairAll(seasonId, await this.drifted(seasonId, accountIds), outcome);
  }

  private async repairAll(
    seasonId: number,
    drifted: string[],
    outcome: SeasonScoresOutcome,
  ): Promise<void> {
    for (const accountId of drifted) {
      outcome.drifted += 1;
      if (await this.repair(seasonId, accountId)) outcome.fixed += 1;
    }
  }

  private async drifted(seasonId: number, accountIds: string[]): Promise<string[]> {
    const rows: { account_id: string }[] = await this.dataSource.query(
      `SELECT account_id FROM
         (SELECT account_id, sum(xp_delta) AS xp FROM ledger_entries
           WHERE season_id = $1 AND xp_delta > 0 AND account_id = ANY($2::bigint[])
           GROUP BY account_id) l
         FULL JOIN
         (SELECT account_id, xp FROM season_scores
           WHERE season_id = $1 AND account_id = ANY($2::bigint[])) s USING (account_id)
        WHERE l.xp IS DISTINCT FROM s.xp`,
      [seasonId, accountIds],
    );
    return rows.map((row) => String(row.account_id));
  }

  /** Rebuilds one score; false when the season closed meanwhile (its results are frozen). */
  private async repair(seasonId: number, accountId: string): Promise<boolean> {
    return inTransaction(this.dataSource, undefined, async ({ manager }) => {
      const [joined]: { season_id: number | null }[] = await manager.query(
        `SELECT join_open_season() AS season_id`,
      );
      if (joined.season_id === null || Number(joined.season_id) !== seasonId) return false;
      await manager.query(`SELECT id FROM accounts WHERE id = $1 FOR UPDATE`, [accountId]);
      await manager.query(`DELETE FROM season_scores WHERE season_id = $1 AND account_id = $2`, [
        seasonId,
        accountId,
      ]);
      await manager.query(
        `INSERT INTO season_scores (season_id, account_id, xp, reached_at)
         SELECT season_id, account_id, sum(xp_delta), max(created_at) FROM ledger_entries
          WHERE season_id = $1 AND account_id = $2 AND xp_delta > 0
          GROUP BY season_id, account_id`,
        [seasonId, accountId],
      );
      return true;
    });
  }
}
