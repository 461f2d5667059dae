import { MigrationInterface, QueryRunner } from 'typeorm';
import { SeasonParticipantCounts1764700000200 } from './1764700000200-season-participant-counts';

/** The powers of two from 64 to 2^62, ascending: width_bucket of XP over them is its doubling. */
const DOUBLINGS = `'{${Array.from({ length: 57 }, (_, i) => (1n << BigInt(i + 6)).toString()).join(',')}}'::bigint[]`;

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
    // The buckets, in one place: one per XP value below 64, then 16 per doubling (XP from 2^k
    // to 2^(k+1) - 1 in 16 buckets 2^(k-4) wide, aligned on multiples of their width), so a
    // bucket above 64 is at most 1/16 of its XP wide; the last ends at the largest bigint. XP 0
    // (never stored: scores are positive) is bucket 0. Integer arithmetic only, no floats.
    // Each body is one expression the planner inlines into the statement (an IMMUTABLE SQL
    // function it cannot inline runs as a query of its own, about 0.3 ms a call, more than the
    // count it bounds): neither STRICT (a CASE would stop the inlining) nor a call to another.
    // Inlining parses the body at each planning, so the award path does not call them per
    // statement (the UPDATE trigger's WHEN below).
    await q.query(`
      CREATE FUNCTION season_xp_bucket(xp bigint) RETURNS integer
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$ SELECT CASE WHEN xp < 64 THEN greatest(xp, 0)::integer
                        ELSE 32 + 16 * width_bucket(xp, ${DOUBLINGS})
                             + (xp >> (width_bucket(xp, ${DOUBLINGS}) + 1))::integer END $$`);
    // The largest XP in the bucket of `xp`: the end of a range that stays inside it.
    await q.query(`
      CREATE FUNCTION season_xp_bucket_last(xp bigint) RETURNS bigint
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$ SELECT CASE WHEN xp < 64 THEN xp
                        ELSE xp | ((1::bigint << (width_bucket(xp, ${DOUBLINGS}) + 1)) - 1) END $$`);
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
    // Whether a score changed bucket, without the bucket functions: the WHEN is made ready for
    // every UPDATE statement (every award that finds its row), and inlining the functions there
    // cost about 0.1 ms an award, more than the count it saves. For XP x -> y (scores are
    // positive): below 64 any change moves. From 64, x's bucket is its bits from 2^(k-4) up (k
    // its top bit; the buckets are 2^(k-4) wide and aligned on that width), so y stays in it
    // iff z = x XOR y has no bit at or above k-4, i.e. z's top bit is below t = x >> 4's:
    // z < t AND z < z XOR t. places.int-spec.ts moves scores from 1 to 2^50 by steps that stay,
    // cross one and skip many buckets, and checks the counts against season_xp_bucket.
    await q.query(`
      CREATE TRIGGER season_xp_counts_move AFTER UPDATE OF xp, season_id ON season_scores
        FOR EACH ROW
        WHEN (OLD.season_id <> NEW.season_id
              OR (OLD.xp <> NEW.xp
                  AND (OLD.xp < 64 OR (OLD.xp # NEW.xp) >= (OLD.xp >> 4)
                       OR (OLD.xp # NEW.xp) >= ((OLD.xp # NEW.xp) # (OLD.xp >> 4)))))
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
    await q.query(`DROP FUNCTION season_xp_bucket_last(bigint)`);
    await q.query(`DROP FUNCTION season_xp_bucket(bigint)`);
  }
}
