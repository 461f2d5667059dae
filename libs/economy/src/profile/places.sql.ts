/**
 * A player's place, as SQL over row `m`: 1 + the players ahead of it, counted as two index
 * ranges (the players above its XP, then the players tied on its XP who come first), each an
 * Index Only Scan of the index the pages walk. Not one count of `xp > m.xp OR (xp = m.xp AND ...)`:
 * the planner cannot make one range of that OR, and scanned every entry of the board. Not a read
 * model kept on every award either: counts of players per XP value, kept by triggers, cost the
 * award path about 40% of its throughput (issue 20). An open-season place counts from the
 * smaller side instead (seasonPlace).
 *
 * The tie-break is the pages' ORDER BY, so a place is the row's position in them: keep the two
 * in step (LeaderboardService.top, SeasonStandings.standingRows).
 */

/** All-time, row `m` of `accounts` (a live one): `accounts_xp_idx (xp DESC, id)`, live only. */
export const ALL_TIME_PLACE = `1
  + (SELECT count(*) FROM accounts o WHERE o.merged_into IS NULL AND o.xp > m.xp)
  + (SELECT count(*) FROM accounts o
      WHERE o.merged_into IS NULL AND o.xp = m.xp AND o.id < m.id)`;

/**
 * In an open season, row `m` of `season_scores`: ties go to whoever got there first, then the
 * lower account id; `season_scores_rank_idx (season_id, xp DESC, reached_at, account_id)`.
 *
 * Counted from the smaller side, as the cost of a range grows with its length: a player at or
 * above `median` (SQL for a bigint, e.g. `$2`; SeasonMedians gives it) counts the players ahead,
 * one below it the players behind (the mirror ranges, the same index from its other end) and
 * takes them from the season's participants (`season_participant_counts`, kept by a trigger in
 * the writers' transactions, so read in the statement's snapshot with the scores). Exact whatever
 * the median: a stale or missing one (NULL counts ahead) only costs time. Postgres runs only the
 * chosen branch's sub-plans.
 */
export function seasonPlace(median: string): string {
  return `CASE WHEN ${median}::bigint IS NULL OR m.xp >= ${median}::bigint THEN 1
  + (SELECT count(*) FROM season_scores o WHERE o.season_id = m.season_id AND o.xp > m.xp)
  + (SELECT count(*) FROM season_scores o
      WHERE o.season_id = m.season_id AND o.xp = m.xp
        AND (o.reached_at, o.account_id) < (m.reached_at, m.account_id))
  ELSE (SELECT sum(c.n) FROM season_participant_counts c WHERE c.season_id = m.season_id)
  - (SELECT count(*) FROM season_scores o WHERE o.season_id = m.season_id AND o.xp < m.xp)
  - (SELECT count(*) FROM season_scores o
      WHERE o.season_id = m.season_id AND o.xp = m.xp
        AND (o.reached_at, o.account_id) > (m.reached_at, m.account_id))
  END`;
}
