import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `season_participant_counts (season_id, slot, n)`: the players holding a `season_scores` row,
 * per season, so an open-season place can be counted from the smaller side of the board
 * (places.sql.ts: the players behind, subtracted from the participants, when that side is the
 * shorter one).
 *
 * Kept by a row trigger on INSERT and DELETE only: an award's upsert that finds the row takes its
 * UPDATE path and fires nothing, so the award path pays on a player's first award of a season
 * alone. The counter moves in the writer's transaction, so a statement reading it and the scores
 * sees both in one snapshot. `slot` = backend pid mod 64 spreads concurrent first awards over 64
 * rows per season (as `community_counts`, migration 1764520000000); a read sums the slots.
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
        INSERT INTO season_participant_counts (season_id, slot, n)
        VALUES (CASE WHEN TG_OP = 'INSERT' THEN NEW.season_id ELSE OLD.season_id END,
                (pg_backend_pid() % 64)::smallint,
                CASE WHEN TG_OP = 'INSERT' THEN 1 ELSE -1 END)
        ON CONFLICT (season_id, slot) DO UPDATE SET n = season_participant_counts.n + EXCLUDED.n;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER season_participant_counts_apply AFTER INSERT OR DELETE ON season_scores
        FOR EACH ROW EXECUTE FUNCTION season_participant_counts_apply()`);
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
    await q.query(`DROP TRIGGER season_participant_counts_apply ON season_scores`);
    await q.query(`DROP FUNCTION season_participant_counts_apply()`);
    await q.query(`DROP TABLE season_participant_counts`);
  }
}
