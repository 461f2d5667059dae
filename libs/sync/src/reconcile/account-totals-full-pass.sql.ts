/**
 * The full pass's account check in one statement: every live account's totals and rank against
 * its ledger sums, the ledger read once (one hash aggregate by account, joined to accounts)
 * instead of a ledger probe per account in keyset batches. Returns the accounts that drifted, in
 * the row shape of the batched check, each with `checked` (the live accounts compared); a single
 * row of nulls but `checked` when none drifted. Run it with ACCOUNT_TOTALS_FULL_PASS_WORK_MEM so
 * the aggregate (one row per account) stays in memory.
 */
export const ACCOUNT_TOTALS_FULL_PASS_SQL = `
  WITH totals AS MATERIALIZED (
    SELECT a.id, a.xp, a.coins, a.rank_id,
           COALESCE(s.xp, 0) AS ledger_xp, COALESCE(s.coins, 0) AS ledger_coins,
           rank_for_xp(COALESCE(s.xp, 0)::bigint) AS ledger_rank
      FROM accounts a
      LEFT JOIN (SELECT account_id, sum(xp_delta) AS xp, sum(coins_delta) AS coins
                   FROM ledger_entries GROUP BY account_id) s ON s.account_id = a.id
     WHERE a.merged_into IS NULL)
  SELECT c.checked, t.*
    FROM (SELECT count(*) AS checked FROM totals) c
    LEFT JOIN totals t
      ON t.xp <> t.ledger_xp OR t.coins <> t.ledger_coins OR t.rank_id <> t.ledger_rank
   ORDER BY t.id`;

export const ACCOUNT_TOTALS_FULL_PASS_WORK_MEM = '64MB';
