import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `season_participant_counts (season_id, slot, n)`: the players holding a `season_scores` row,
 * per season, so an open-season place can be counted from the smaller side of the board
 * (places.sql.ts: the players behind, subtracted from the participants, when that side is the
 * shorter one).
 *
 * Kept by statement triggers on INSERT and DELETE with transition tables (as `sync_event_counts`,
 * migration 1764520000000): one upsert per season per statement, however many rows it wrote (a
 * row trigger made a bulk load update one counter row per row: 1.2M season rows did not finish
 * in 13 minutes), and an award's upsert that finds the row writes no inserted row, so the
 * counter moves only on a player's first award of a season. The counter moves in the writer's
 * transaction, so a statement reading it and the scores sees both in one snapshot. `slot` =
 * backend pid mod 64 spreads concurrent writers over 64 rows per season; a read sums the slots.
 * A TRUNCATE of the scores empties the counters. Backfilled from the existing rows.
 */
export class SeasonParticipantCounts1764700000200 implements MigrationInterface {
  name = 'SeasonParticipantCounts1764700000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE season_participant_counts (
        season_id integer  NOT NULL,
        slot      smallint NOT NULL,
        n         bigint   NOT NULL,
        PRIMARY KEY (season_id, slot)
      )`);
    await q.query(`
      CREATE FUNCTION season_participant_counts_apply() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO season_participant_counts (season_id, slot, n)
          SELECT season_id, (pg_backend_pid() % 64)::smallint, count(*)
            FROM new_rows GROUP BY season_id ORDER BY season_id
          ON CONFLICT (season_id, slot) DO UPDATE SET n = season_participant_counts.n + EXCLUDED.n;
        ELSE
          INSERT INTO season_participant_counts (season_id, slot, n)
          SELECT season_id, (pg_backend_pid() % 64)::smallint, -count(*)
            FROM old_rows GROUP BY season_id ORDER BY season_id
          ON CONFLICT (season_id, slot) DO UPDATE SET n = season_participant_counts.n + EXCLUDED.n;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER season_participant_counts_insert AFTER INSERT ON season_scores
        REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION season_participant_counts_apply()`);
    await q.query(`
      CREATE TRIGGER season_participant_counts_delete AFTER DELETE ON season_scores
        REFERENCING OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION season_participant_counts_apply()`);
    await q.query(`
      CREATE FUNCTION season_participant_counts_truncate() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM season_participant_counts;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER season_participant_counts_truncate AFTER TRUNCATE ON season_scores
        FOR EACH STATEMENT EXECUTE FUNCTION season_participant_counts_truncate()`);
    await q.query(`
      INSERT INTO season_participant_counts (season_id, slot, n)
      SELECT season_id, 0, count(*) FROM season_scores GROUP BY season_id`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER season_participant_counts_truncate ON season_scores`);
    await q.query(`DROP FUNCTION season_participant_counts_truncate()`);
    await q.query(`DROP TRIGGER season_participant_counts_delete ON season_scores`);
    await q.query(`DROP TRIGGER season_participant_counts_insert ON season_scores`);
    await q.query(`DROP FUNCTION season_participant_counts_apply()`);
    await q.query(`DROP TABLE season_participant_counts`);
  }
}
