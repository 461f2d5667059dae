/**
 * A player's place, as SQL over row `m`: 1 + the players ahead of it, counted as two index
 * ranges (the players above its XP, then the players tied on its XP who come first), each an
 * Index Only Scan of the index the pages walk. Not one count of `xp > m.xp OR (xp = m.xp AND ...)`:
 * the planner cannot make one range of that OR, and scanned every entry of the board. Not a read
 * model kept on every award either: counts of players per XP value, kept by triggers, cost the
 * award path about 40% of its throughput (issue 20).
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
 */
export const SEASON_PLACE = `1
  + (SELECT count(*) FROM season_scores o WHERE o.season_id = m.season_id AND o.xp > m.xp)
  + (SELECT count(*) FROM season_scores o
      WHERE o.season_id = m.season_id AND o.xp = m.xp
        AND (o.reached_at, o.account_id) < (m.reached_at, m.account_id))`;
