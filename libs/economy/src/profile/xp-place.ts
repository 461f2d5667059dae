/**
 * How many players stand above `xp` on a board (0: all time; a season's id: that season), from
 * the `xp_place_counts` read model (migration 1764550000000): one index range over the distinct
 * XP values above, not a count of every player ahead. The caller adds the players tied on the
 * same XP who come first (its own tie rule, an index range over the ties only) and 1.
 */
export function playersAboveSql(board: string, xp: string): string {
  return `COALESCE((SELECT sum(c.n) FROM xp_place_counts c
                     WHERE c.board = ${board} AND c.xp > ${xp}), 0)`;
}
