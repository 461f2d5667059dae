import { Injectable } from '@nestjs/common';
import { Tx } from '@ttfd/database';

/**
 * The class (first key) of the season advisory locks; the second key is the season id.
 * 0x53454153 = 'SEAS'. The same number is in `join_open_season()` (migration 1764300000000).
 */
export const SEASON_LOCK_CLASS = 1397047635;

/**
 * How an award's positive XP adds to its season score: the conflict clause of every insert into
 * `season_scores` made for an award (`count` here, and the one-statement award's CTE).
 */
export const SEASON_SCORE_ADD = `ON CONFLICT (season_id, account_id)
  DO UPDATE SET xp = season_scores.xp + EXCLUDED.xp, reached_at = EXCLUDED.reached_at`;

/**
 * The season part of an award, in one place (docs/economy-and-games.md, "Seasons"): which season
 * a ledger row belongs to is decided by a lock, not by its timestamp.
 *
 * An award takes the open season's advisory lock in shared mode (`join`), records that season on
 * its ledger row and adds its positive XP to `season_scores` (`count`), all in its own
 * transaction. Closing takes the same lock exclusively, so it waits for every award in flight and
 * every later award joins the next season. Shared advisory locks cost nothing on the seasons row
 * (a `FOR SHARE` would churn MultiXacts at 1k awards/s).
 */
@Injectable()
export class SeasonMembership {
  /** Takes the open season's shared lock; its id, or null when no season was ever opened. */
  async join(tx: Tx): Promise<number | null> {
    const [row]: { season_id: number | null }[] = await tx.manager.query(
      `SELECT join_open_season() AS season_id`,
    );
    return row.season_id === null ? null : Number(row.season_id);
  }

  /** Adds positive XP to the account's season score (deductions never lower a score). */
  async count(
    tx: Tx,
    seasonId: number | null,
    accountId: string,
    xpDelta: number,
    at: Date,
  ): Promise<void> {
    if (seasonId === null || xpDelta <= 0) return;
    await tx.manager.query(
      `INSERT INTO season_scores (season_id, account_id, xp, reached_at) VALUES ($1, $2, $3, $4)
       ${SEASON_SCORE_ADD}`,
      [seasonId, accountId, xpDelta, at],
    );
  }

  /**
   * Rebuilds these accounts' scores in the open season from its ledger rows: after a merge moved
   * rows from one account to another. The caller holds the season (`join`) and the accounts.
   */
  async recount(tx: Tx, seasonId: number | null, accountIds: string[]): Promise<void> {
    if (seasonId === null) return;
    await tx.manager.query(
      `DELETE FROM season_scores WHERE season_id = $1 AND account_id = ANY($2::bigint[])`,
      [seasonId, accountIds],
    );
    await tx.manager.query(
      `INSERT INTO season_scores (season_id, account_id, xp, reached_at)
       SELECT season_id, account_id, sum(xp_delta), max(created_at) FROM ledger_entries
        WHERE season_id = $1 AND account_id = ANY($2::bigint[]) AND xp_delta > 0
        GROUP BY season_id, account_id`,
      [seasonId, accountIds],
    );
  }
}
