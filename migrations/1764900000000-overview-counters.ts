import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Read models for the dashboard's overview, so its cost no longer grows with the traffic
 * (issue 20: it read every ledger row of the day and every event completed in its window,
 * 6 h by default; a community ten times busier made it ten times slower):
 *
 * - `xp_earned_counts (bucket, slot, xp)`: the positive XP of ledger rows per quarter hour of
 *   their `created_at` (15 minutes divides every time zone's offset, so a community day is a
 *   whole number of buckets). Kept by statement triggers on `ledger_entries` with transition
 *   tables (insert adds, delete subtracts, truncate empties): whatever SQL writes the rows (the
 *   award, an import, a revert) moves it in the same transaction. "XP today" sums at most 96
 *   buckets times the slots written.
 * - `sync_completion_counts (minute, lag_bin, slot, n)`: outbox rows that became `completed`,
 *   per minute of `completed_at` and lag bin (`sync_lag_bin`: 8 bins per doubling of
 *   `completed_at - created_at` in ms, about 9% wide; -1 for a row written completed, with no
 *   platform call and no lag). Kept by statement triggers on `sync_events`: an insert of
 *   completed rows adds, an update moves (into `completed` adds, out of it subtracts); a delete
 *   subtracts nothing (retention deletes old events, not what happened), truncate empties. A series point
 *   sums its minutes; its lag p95 is interpolated inside the bin that holds it
 *   (DashboardStatsQuery): at most 9% off, bounded by bins and minutes, not by events.
 *
 * `slot` = backend pid mod 64 spreads concurrent writers over 64 rows per key (no hot row; a
 * read sums the slots). Keys are upserted in key order so two writers on one slot take the rows
 * in the same order. Both are backfilled from the rows that exist; the cleanup job deletes
 * buckets and minutes older than the events' retention.
 */
export class OverviewCounters1764900000000 implements MigrationInterface {
  name = 'OverviewCounters1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE xp_earned_counts (
        bucket timestamptz NOT NULL,
        slot   smallint    NOT NULL,
        xp     bigint      NOT NULL,
        PRIMARY KEY (bucket, slot)
      )`);
    await q.query(`
      CREATE FUNCTION xp_earned_counts_apply() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO xp_earned_counts (bucket, slot, xp)
          SELECT date_bin('15 minutes', created_at, 'epoch'), (pg_backend_pid() % 64)::smallint,
                 sum(xp_delta)
            FROM new_rows WHERE xp_delta > 0 GROUP BY 1 ORDER BY 1
          ON CONFLICT (bucket, slot) DO UPDATE SET xp = xp_earned_counts.xp + EXCLUDED.xp;
        ELSE
          INSERT INTO xp_earned_counts (bucket, slot, xp)
          SELECT date_bin('15 minutes', created_at, 'epoch'), (pg_backend_pid() % 64)::smallint,
                 -sum(xp_delta)
            FROM old_rows WHERE xp_delta > 0 GROUP BY 1 ORDER BY 1
          ON CONFLICT (bucket, slot) DO UPDATE SET xp = xp_earned_counts.xp + EXCLUDED.xp;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER xp_earned_counts_insert AFTER INSERT ON ledger_entries
        REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION xp_earned_counts_apply()`);
    await q.query(`
      CREATE TRIGGER xp_earned_counts_delete AFTER DELETE ON ledger_entries
        REFERENCING OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION xp_earned_counts_apply()`);
    await q.query(`
      CREATE FUNCTION xp_earned_counts_truncate() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM xp_earned_counts;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER xp_earned_counts_truncate AFTER TRUNCATE ON ledger_entries
        FOR EACH STATEMENT EXECUTE FUNCTION xp_earned_counts_truncate()`);
    await q.query(`
      INSERT INTO xp_earned_counts (bucket, slot, xp)
      SELECT date_bin('15 minutes', created_at, 'epoch'), 0, sum(xp_delta) FROM ledger_entries
       WHERE xp_delta > 0 GROUP BY 1`);

    // The lag bin of a completed row: -1 without a platform call (attempts 0), else
    // floor(8 * log2(1 + lag in ms)) (in double precision: a lag on an edge may fall on either
    // side, which moves an estimate by less than a bin). Bin b holds lags in
    // [2^(b/8) - 1, 2^((b+1)/8) - 1) ms; lag-histogram.ts reads the edges back that way.
    await q.query(`
      CREATE FUNCTION sync_lag_bin(attempts integer, created_at timestamptz,
                                   completed_at timestamptz) RETURNS smallint
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$ SELECT CASE WHEN attempts = 0 THEN -1
                        ELSE floor(8 * ln(1 + greatest(0, date_part('epoch',
                               completed_at - created_at) * 1000)) / ln(2))::smallint END $$`);
    await q.query(`
      CREATE TABLE sync_completion_counts (
        minute  timestamptz NOT NULL,
        lag_bin smallint    NOT NULL,
        slot    smallint    NOT NULL,
        n       bigint      NOT NULL,
        PRIMARY KEY (minute, lag_bin, slot)
      )`);
    // plpgsql plans a statement when it first runs it, so each branch names only the
    // transition tables its trigger declares.
    await q.query(`
      CREATE FUNCTION sync_completion_counts_apply() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO sync_completion_counts (minute, lag_bin, slot, n)
          SELECT date_trunc('minute', completed_at),
                 sync_lag_bin(attempts, created_at, completed_at),
                 (pg_backend_pid() % 64)::smallint, count(*)
            FROM new_rows WHERE status = 'completed' AND completed_at IS NOT NULL
           GROUP BY 1, 2 ORDER BY 1, 2
          ON CONFLICT (minute, lag_bin, slot)
            DO UPDATE SET n = sync_completion_counts.n + EXCLUDED.n;
        ELSE
          -- No join of the transition tables (plpgsql keeps the plan made for the first
          -- statement's row count): a row leaving 'completed' or changing minute or bin moves,
          -- as the outbox counters do; the claims and renewals (no completed row) add nothing.
          INSERT INTO sync_completion_counts (minute, lag_bin, slot, n)
          SELECT minute, lag_bin, (pg_backend_pid() % 64)::smallint, sum(d)
            FROM (SELECT date_trunc('minute', completed_at) AS minute,
                         sync_lag_bin(attempts, created_at, completed_at) AS lag_bin, 1 AS d
                    FROM new_rows WHERE status = 'completed' AND completed_at IS NOT NULL
                  UNION ALL
                  SELECT date_trunc('minute', completed_at),
                         sync_lag_bin(attempts, created_at, completed_at), -1
                    FROM old_rows WHERE status = 'completed' AND completed_at IS NOT NULL) moved
           GROUP BY 1, 2 HAVING sum(d) <> 0 ORDER BY 1, 2
          ON CONFLICT (minute, lag_bin, slot)
            DO UPDATE SET n = sync_completion_counts.n + EXCLUDED.n;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER sync_completion_counts_insert AFTER INSERT ON sync_events
        REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION sync_completion_counts_apply()`);
    await q.query(`
      CREATE TRIGGER sync_completion_counts_update AFTER UPDATE ON sync_events
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION sync_completion_counts_apply()`);
    await q.query(`
      CREATE FUNCTION sync_completion_counts_truncate() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM sync_completion_counts;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER sync_completion_counts_truncate AFTER TRUNCATE ON sync_events
        FOR EACH STATEMENT EXECUTE FUNCTION sync_completion_counts_truncate()`);
    await q.query(`
      INSERT INTO sync_completion_counts (minute, lag_bin, slot, n)
      SELECT date_trunc('minute', completed_at), sync_lag_bin(attempts, created_at, completed_at),
             0, count(*)
        FROM sync_events WHERE status = 'completed' AND completed_at IS NOT NULL
       GROUP BY 1, 2`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER sync_completion_counts_truncate ON sync_events`);
    await q.query(`DROP FUNCTION sync_completion_counts_truncate()`);
    await q.query(`DROP TRIGGER sync_completion_counts_update ON sync_events`);
    await q.query(`DROP TRIGGER sync_completion_counts_insert ON sync_events`);
    await q.query(`DROP FUNCTION sync_completion_counts_apply()`);
    await q.query(`DROP TABLE sync_completion_counts`);
    await q.query(`DROP FUNCTION sync_lag_bin(integer, timestamptz, timestamptz)`);
    await q.query(`DROP TRIGGER xp_earned_counts_truncate ON ledger_entries`);
    await q.query(`DROP FUNCTION xp_earned_counts_truncate()`);
    await q.query(`DROP TRIGGER xp_earned_counts_delete ON ledger_entries`);
    await q.query(`DROP TRIGGER xp_earned_counts_insert ON ledger_entries`);
    await q.query(`DROP FUNCTION xp_earned_counts_apply()`);
    await q.query(`DROP TABLE xp_earned_counts`);
  }
}
