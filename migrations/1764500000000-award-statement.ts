import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the one-statement award (libs/economy LedgerService) needs in SQL.
 *
 * - `rank_for_xp(xp)`: the rank an XP total holds, the same curve as `rankForXp` in
 *   libs/economy/src/ranks/ranks.ts and the seeded `ranks` table (a test checks all three agree
 *   at every threshold). A literal CASE, not a read of `ranks`: IMMUTABLE and inlined, so the
 *   award's UPDATE sets the rank from the new XP without a lookup.
 * - `ledger_count_reaches(account, reason, goal, except_key)`: whether the account has at least
 *   `goal` ledger rows of that reason besides the one keyed `except_key` (the row the award is
 *   inserting). VOLATILE on purpose: it takes a fresh snapshot when called, after the award
 *   locked the account, so awards of the same account that committed while this one waited for
 *   the lock are counted (a statement's own snapshot predates the lock wait). Counting stops at
 *   the goal.
 */
export class AwardStatement1764500000000 implements MigrationInterface {
  name = 'AwardStatement1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION rank_for_xp(xp bigint) RETURNS smallint
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT (CASE
          WHEN xp >= 209950 THEN 20 WHEN xp >= 183750 THEN 19 WHEN xp >= 159800 THEN 18
          WHEN xp >= 138000 THEN 17 WHEN xp >= 118250 THEN 16 WHEN xp >= 100450 THEN 15
          WHEN xp >= 84500 THEN 14  WHEN xp >= 70300 THEN 13  WHEN xp >= 57750 THEN 12
          WHEN xp >= 46750 THEN 11  WHEN xp >= 37200 THEN 10  WHEN xp >= 29000 THEN 9
          WHEN xp >= 22050 THEN 8   WHEN xp >= 16250 THEN 7   WHEN xp >= 11500 THEN 6
          WHEN xp >= 7700 THEN 5    WHEN xp >= 4750 THEN 4    WHEN xp >= 2550 THEN 3
          WHEN xp >= 1000 THEN 2    ELSE 1
        END)::smallint
      $$`);
    await q.query(`
      CREATE FUNCTION ledger_count_reaches(account bigint, why text, goal integer, except_key text)
      RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
      BEGIN
        RETURN (SELECT count(*) >= goal FROM (
                  SELECT 1 FROM ledger_entries
                   WHERE account_id = account AND reason = why AND idempotency_key <> except_key
                   LIMIT goal) counted);
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION ledger_count_reaches(bigint, text, integer, text)`);
    await q.query(`DROP FUNCTION rank_for_xp(bigint)`);
  }
}
