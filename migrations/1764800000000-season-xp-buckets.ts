import { MigrationInterface, QueryRunner } from 'typeorm';
import { SeasonParticipantCounts1764700000200 } from './1764700000200-season-participant-counts';

/**
 * The bucket thresholds, ascending: bucket i (1-based) holds XP from thresholds[i] up to one
 * below thresholds[i + 1]. One bucket per XP value below 64 (a bucket there is one value, so a
 * place inside it is only ties), then 16 per doubling (a bucket is at most 1/16 of its XP wide)
 * up to 2^62; the last bucket runs to the largest bigint. Integers only: width_bucket compares
 * them exactly. Written into `season_xp_thresholds()` once, here: changing them is a new
 * migration that rebuilds the counts.
 */
function thresholds(): bigint[] {
  const values: bigint[] = [];
  for (let xp = 1n; xp < 64n; xp++) values.push(xp);
  for (let power = 6n; power < 62n; power++) {
    const start = 1n << power;
    const step = 1n << (power - 4n);
    for (let i = 0n; i < 16n; i++) values.push(start + i * step);
  }
  values.push(1n << 62n);
  return values;
}

/**
 * `season_xp_counts (season_id, bucket, slot, n)`: how many players of a season hold a score in
 * each fixed XP bucket (`season_xp_bucket(xp)`), the order statistic an open-season place reads
 * (places.sql.ts: the players in the buckets above its own, summed, then an index range inside its
 * own bucket). Replaces `season_participant_counts` (participants are the sum of the buckets).
 *
 * Kept in the writers' transactions, so a statement reading the counts and the scores sees both
 * in one snapshot:
 * - INSERT and DELETE: statement triggers with transition tables, one upsert per season and
 *   bucket per statement however many rows it wrote (as `season_participant_counts` was: a row
 *   trigger made a bulk load of 1.2M rows take over 13 minutes). An award's upsert that finds its
 *   row inserts nothing, so this writes only on a player's first award of a season.
 * - UPDATE of xp or season_id (an award's `ON CONFLICT DO UPDATE`, a repair): a row trigger whose
 *   WHEN lets through only a row that changes bucket or season, so an award that stays in its
 *   bucket queues nothing and writes no count. Counts per XP value, written on every award, cost
 *   the award path about 40% of its throughput (issue 20).
 * - TRUNCATE empties the counts.
 * `slot` = backend pid mod 64 spreads concurrent writers over 64 rows per bucket (n may go
 * negative in a slot); a read sums the slots. Backfilled from the existing rows.
 */
export class SeasonXpBuckets1764800000000 implements MigrationInterface {
  name = 'SeasonXpBuckets1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION season_xp_thresholds() RETURNS bigint[]
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$ SELECT '{${thresholds().join(',')}}'::bigint[] $$`);
    await q.query(`
      CREATE FUNCTION season_xp_bucket(xp bigint) RETURNS integer
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
      AS $$ SELECT width_bucket(xp, season_xp_thresholds()) $$`);
    // The largest XP in a bucket (the next threshold less one; the last bucket has no end).
    await q.query(`
      CREATE FUNCTION season_xp_bucket_last(bucket integer) RETURNS bigint
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
      AS $$ SELECT COALESCE((season_xp_thresholds())[bucket + 1] - 1, 9223372036854775807) $$`);
    await q.query(`
      CREATE TABLE season_xp_counts (
        season_id integer  NOT NULL,
        bucket    smallint NOT NULL,
        slot      smallint NOT NULL,
        n         bigint   NOT NULL,
        PRIMARY KEY (season_id, bucket, slot)
      )`);
    await q.query(`
      CREATE FUNCTION season_xp_counts_apply() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO season_xp_counts (season_id, bucket, slot, n)
          SELECT season_id, season_xp_bucket(xp), (pg_backend_pid() % 64)::smallint, count(*)
            FROM new_rows GROUP BY 1, 2 ORDER BY 1, 2
          ON CONFLICT (season_id, bucket, slot) DO UPDATE SET n = season_xp_counts.n + EXCLUDED.n;
        ELSE
          INSERT INTO season_xp_counts (season_id, bucket, slot, n)
          SELECT season_id, season_xp_bucket(xp), (pg_backend_pid() % 64)::smallint, -count(*)
            FROM old_rows GROUP BY 1, 2 ORDER BY 1, 2
          ON CONFLICT (season_id, bucket, slot) DO UPDATE SET n = season_xp_counts.n + EXCLUDED.n;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER season_xp_counts_insert AFTER INSERT ON season_scores
        REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION season_xp_counts_apply()`);
    await q.query(`
      CREATE TRIGGER season_xp_counts_delete AFTER DELETE ON season_scores
        REFERENCING OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION season_xp_counts_apply()`);
    await q.query(`
      CREATE FUNCTION season_xp_counts_move() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO season_xp_counts (season_id, bucket, slot, n)
        SELECT v.season_id, v.bucket, (pg_backend_pid() % 64)::smallint, v.n
          FROM (VALUES (OLD.season_id, season_xp_bucket(OLD.xp), -1),
                       (NEW.season_id, season_xp_bucket(NEW.xp), 1)) AS v (season_id, bucket, n)
         ORDER BY 1, 2
        ON CONFLICT (season_id, bucket, slot) DO UPDATE SET n = season_xp_counts.n + EXCLUDED.n;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER season_xp_counts_move AFTER UPDATE OF xp, season_id ON season_scores
        FOR EACH ROW
        WHEN (OLD.season_id <> NEW.season_id
              OR season_xp_bucket(OLD.xp) <> season_xp_bucket(NEW.xp))
        EXECUTE FUNCTION season_xp_counts_move()`);
    await q.query(`
      CREATE FUNCTION season_xp_counts_truncate() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM season_xp_counts;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER season_xp_counts_truncate AFTER TRUNCATE ON season_scores
        FOR EACH STATEMENT EXECUTE FUNCTION season_xp_counts_truncate()`);
    await q.query(`
      INSERT INTO season_xp_counts (season_id, bucket, slot, n)
      SELECT season_id, season_xp_bucket(xp), 0, count(*) FROM season_scores GROUP BY 1, 2`);

    await new SeasonParticipantCounts1764700000200().down(q);
  }

  async down(q: QueryRunner): Promise<void> {
    // Rebuilds the participant counter (and backfills it) as its own migration made it.
    await new SeasonParticipantCounts1764700000200().up(q);

    await q.query(`DROP TRIGGER season_xp_counts_truncate ON season_scores`);
    await q.query(`DROP FUNCTION season_xp_counts_truncate()`);
    await q.query(`DROP TRIGGER season_xp_counts_move ON season_scores`);
    await q.query(`DROP FUNCTION season_xp_counts_move()`);
    await q.query(`DROP TRIGGER season_xp_counts_delete ON season_scores`);
    await q.query(`DROP TRIGGER season_xp_counts_insert ON season_scores`);
    await q.query(`DROP FUNCTION season_xp_counts_apply()`);
    await q.query(`DROP TABLE season_xp_counts`);
    await q.query(`DROP FUNCTION season_xp_bucket_last(integer)`);
    await q.query(`DROP FUNCTION season_xp_bucket(bigint)`);
    await q.query(`DROP FUNCTION season_xp_thresholds()`);
  }
}
