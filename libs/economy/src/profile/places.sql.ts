/**
 * A player's place, as SQL over row `m`: 1 + the players ahead of it, counted as index ranges
 * (the players above its XP, then the players tied on its XP who come first), each an Index Only
 * Scan of the index the pages walk. Not one count of `xp > m.xp OR (xp = m.xp AND ...)`: the
 * planner cannot make one range of that OR, and scanned every entry of the board.
 *
 * The open season's place does not walk the whole range above the player: a range costs its
 * length, and a player in the middle of 100k read about 50k index entries (6.6 ms; counting from
 * the nearer end with a median hint only halved that). It adds fixed XP buckets' counts instead
 * (SEASON_PLACE). Those counts are kept by triggers, but not on every award: counts per XP value,
 * written by each award, cost the award path about 40% of its throughput (issue 20); a bucket's
 * count moves only when a player enters the season or crosses into another bucket.
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
 * 1 + the players in the buckets above the player's (`season_xp_counts`, migration
 * 1764800000000: one row per season, bucket and writer slot, summed) + those in its own bucket
 * with more XP (an index range that ends at the bucket's last XP: a bucket is one XP value below
 * 64, then 1/16 of a doubling wide, so the range is a small share of the board) + its ties that
 * come first. The counts move in the writers' transactions, so one statement reads them and the
 * scores in one snapshot.
 */
export const SEASON_PLACE = `1
  + COALESCE((SELECT sum(c.n) FROM season_xp_counts c
               WHERE c.season_id = m.season_id AND c.bucket > season_xp_bucket(m.xp)), 0)
  + (SELECT count(*) FROM season_scores o
      WHERE o.season_id = m.season_id AND o.xp > m.xp
        AND o.xp <= season_xp_bucket_last(m.xp))
  + (SELECT count(*) FROM season_scores o
      WHERE o.season_id = m.season_id AND o.xp = m.xp
        AND (o.reached_at, o.account_id) < (m.reached_at, m.account_id))`;
