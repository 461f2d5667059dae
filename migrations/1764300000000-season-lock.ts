import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Season membership decided by a lock, not by timestamps (libs/economy seasons).
 *
 * - `ledger_entries.season_id`: the season that was open when the award took its shared
 *   advisory lock. No foreign key on purpose: a key check takes FOR KEY SHARE on the season
 *   row from every award (MultiXact churn at 1k awards/s), and it would wait on the close.
 * - `join_open_season()`: takes `pg_advisory_xact_lock_shared(SEASON_LOCK_CLASS, id)` on the open
 *   season and returns its id, re-reading after the lock (a close may have committed while we
 *   waited). A VOLATILE function sees a fresh snapshot per query, so it is correct even inside
 *   one larger SQL statement. Close takes the same key exclusively.
 * - `season_scores`: positive XP per (season, account), kept in the award's transaction.
 * - `season_results`: the standings frozen by the close; every read of a closed season. No
 *   foreign key to `accounts` on purpose: its check would key-share-lock every ranked account
 *   while the close holds the season lock exclusively, and an award holding an account (a daily
 *   claim, a voice checkpoint) waits for that lock: a deadlock.
 * - `seasons.prizes_paid_at`: the podium is paid after the close commits; null = retry.
 */
export class SeasonLock1764300000000 implements MigrationInterface {
  name = 'SeasonLock1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ledger_entries ADD COLUMN season_id integer`);
    await q.query(`ALTER TABLE seasons ADD COLUMN prizes_paid_at timestamptz`);
    // Rows written before this migration belong to the season whose window holds them.
    await q.query(`
      UPDATE ledger_entries l SET season_id = s.id
        FROM seasons s
       WHERE l.created_at >= s.starts_at AND l.created_at < s.ends_at`);
    await q.query(`UPDATE seasons SET prizes_paid_at = closed_at WHERE status = 'closed'`);
    await q.query(`
      CREATE INDEX ledger_entries_season_idx ON ledger_entries (season_id, account_id)
        INCLUDE (xp_delta, created_at) WHERE xp_delta > 0`);

    await q.query(`
      CREATE TABLE season_scores (
        season_id  integer     NOT NULL,
        account_id bigint      NOT NULL,
        xp         bigint      NOT NULL CHECK (xp > 0),
        reached_at timestamptz NOT NULL,
        PRIMARY KEY (season_id, account_id)
      )`);
    await q.query(`
      CREATE INDEX season_scores_rank_idx ON season_scores (season_id, xp DESC, reached_at, account_id)`);
    await q.query(`
      INSERT INTO season_scores (season_id, account_id, xp, reached_at)
      SELECT season_id, account_id, sum(xp_delta), max(created_at)
        FROM ledger_entries WHERE season_id IS NOT NULL AND xp_delta > 0
       GROUP BY season_id, account_id`);

    await q.query(`
      CREATE TABLE season_results (
        season_id  integer     NOT NULL REFERENCES seasons (id),
        place      integer     NOT NULL CHECK (place >= 1),
        account_id bigint      NOT NULL,
        xp         bigint      NOT NULL CHECK (xp > 0),
        reached_at timestamptz NOT NULL,
        PRIMARY KEY (season_id, place),
        CONSTRAINT season_results_account_uq UNIQUE (season_id, account_id)
      )`);
    await q.query(`
      INSERT INTO season_results (season_id, place, account_id, xp, reached_at)
      SELECT s.season_id, row_number() OVER (PARTITION BY s.season_id
                                             ORDER BY s.xp DESC, s.reached_at, s.account_id),
             s.account_id, s.xp, s.reached_at
        FROM season_scores s JOIN seasons ON seasons.id = s.season_id
       WHERE seasons.status = 'closed'`);

    // 0x53454153 = 'SEAS': the class of the season advisory locks (the second key is the id).
    await q.query(`
      CREATE FUNCTION join_open_season() RETURNS integer
      LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        locked  integer;
        current integer;
      BEGIN
        SELECT id INTO current FROM seasons WHERE status = 'open';
        LOOP
          IF current IS NULL THEN RETURN NULL; END IF;
          PERFORM pg_advisory_xact_lock_shared(1397047635, current);
          locked := current;
          SELECT id INTO current FROM seasons WHERE status = 'open';
          IF current IS NOT DISTINCT FROM locked THEN RETURN locked; END IF;
        END LOOP;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION join_open_season()`);
    await q.query(`DROP TABLE season_results`);
    await q.query(`DROP TABLE season_scores`);
    await q.query(`DROP INDEX ledger_entries_season_idx`);
    await q.query(`ALTER TABLE seasons DROP COLUMN prizes_paid_at`);
    await q.query(`ALTER TABLE ledger_entries DROP COLUMN season_id`);
  }
}
