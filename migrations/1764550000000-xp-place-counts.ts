import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A player's place without counting the players ahead: `xp_place_counts (board, xp, slot, n)`
 * holds how many players stand at each XP value of a board, board 0 being the all-time board
 * (accounts not merged, `accounts.xp`) and board S season S (`season_scores.xp`). A place is then
 * 1 + the counts above the player's XP (one short index range over distinct XP values) + the
 * players tied on that XP who come first (an index range over the ties only), instead of a count
 * over every row ahead (O(place): 50,000 index entries for place 50,000).
 *
 * Kept by statement-level triggers in the writer's transaction, whatever SQL writes the rows (the
 * award's statement, a merge, an import, reconcile's repairs, the bench's bulk load): each
 * statement's old rows count -1 and its new rows +1 per key, so only keys whose count changed
 * are written (an update that moves no XP writes nothing). `slot` is the account id
 * mod 16, so an account always counts in the same slot: each (board, xp, slot) row is a true
 * count, never negative, deleted when it reaches 0 (no garbage of rows that cancel out), and two
 * writers wait on one another only when their accounts share a slot and an XP value. Rows are
 * upserted in (board, xp, slot) order, so two writers sharing rows take them in the same order.
 * Reconcile compares the counts with a full count and rewrites them on drift (ReadCountersCheck).
 */
export class XpPlaceCounts1764550000000 implements MigrationInterface {
  name = 'XpPlaceCounts1764550000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE xp_place_counts (
        board bigint   NOT NULL,
        xp    bigint   NOT NULL,
        slot  smallint NOT NULL,
        n     bigint   NOT NULL,
        PRIMARY KEY (board, xp, slot)
      )`);
    // One (board, xp, slot) count moved by delta; a NULL xp (a merged account) is no place at
    // all. plpgsql, not a SQL function: its plans are cached per session (a SQL function's are
    // made again on every call, which cost more than the award's own update). The usual case is
    // one UPDATE; the row is inserted the first time and deleted when its count reaches 0.
    await q.query(`
      CREATE FUNCTION xp_place_count_add(p_board bigint, p_xp bigint, p_slot smallint,
                                         p_delta bigint) RETURNS void
      LANGUAGE plpgsql AS $$
      DECLARE
        left_n bigint;
      BEGIN
        IF p_xp IS NULL OR p_delta = 0 THEN
          RETURN;
        END IF;
        UPDATE xp_place_counts SET n = n + p_delta
         WHERE board = p_board AND xp = p_xp AND slot = p_slot
        RETURNING n INTO left_n;
        IF NOT FOUND THEN
          INSERT INTO xp_place_counts AS c (board, xp, slot, n)
          VALUES (p_board, p_xp, p_slot, p_delta)
          ON CONFLICT (board, xp, slot) DO UPDATE SET n = c.n + EXCLUDED.n
          RETURNING n INTO left_n;
        END IF;
        IF left_n = 0 THEN
          DELETE FROM xp_place_counts
           WHERE board = p_board AND xp = p_xp AND slot = p_slot AND n = 0;
        END IF;
      END $$`);
    // A statement's rows, grouped per count, in key order.
    await q.query(`
      CREATE FUNCTION xp_place_counts_add(boards bigint[], xps bigint[], slots smallint[],
                                          deltas bigint[]) RETURNS void
      LANGUAGE plpgsql AS $$
      DECLARE
        c record;
      BEGIN
        FOR c IN SELECT board, xp, slot, sum(d)::bigint AS d
                   FROM unnest(boards, xps, slots, deltas) AS g(board, xp, slot, d)
                  GROUP BY board, xp, slot ORDER BY board, xp, slot LOOP
          PERFORM xp_place_count_add(c.board, c.xp, c.slot, c.d);
        END LOOP;
      END $$`);

    // Statement-level, so a bulk statement (the bench's load, an import batch) moves each count
    // once, not once per row: row-level updates of the same few count rows inside one
    // transaction leave version chains that every later update walks (quadratic; a 100,000-row
    // UPDATE ran for minutes). plpgsql plans a statement when it first runs it, so each branch
    // may name only the transition tables its trigger declares.
    await q.query(`
      CREATE FUNCTION xp_place_counts_accounts() RETURNS trigger
      LANGUAGE plpgsql AS $$
      DECLARE
        xps bigint[];
        slots smallint[];
        deltas bigint[];
      BEGIN
        IF TG_OP = 'INSERT' THEN
          SELECT array_agg(xp), array_agg((id % 16)::smallint), array_agg(1::bigint)
            INTO xps, slots, deltas FROM new_rows WHERE merged_into IS NULL;
        ELSIF TG_OP = 'DELETE' THEN
          SELECT array_agg(xp), array_agg((id % 16)::smallint), array_agg(-1::bigint)
            INTO xps, slots, deltas FROM old_rows WHERE merged_into IS NULL;
        ELSE
          SELECT array_agg(xp), array_agg((id % 16)::smallint), array_agg(d)
            INTO xps, slots, deltas
            FROM (SELECT xp, id, -1::bigint AS d FROM old_rows WHERE merged_into IS NULL
                  UNION ALL
                  SELECT xp, id, 1::bigint FROM new_rows WHERE merged_into IS NULL) moved;
        END IF;
        IF xps IS NOT NULL THEN
          PERFORM xp_place_counts_add(array_fill(0::bigint, ARRAY[cardinality(xps)]), xps, slots,
                                      deltas);
        END IF;
        RETURN NULL;
      END $$`);

    await q.query(`
      CREATE FUNCTION xp_place_counts_scores() RETURNS trigger
      LANGUAGE plpgsql AS $$
      DECLARE
        boards bigint[];
        xps bigint[];
        slots smallint[];
        deltas bigint[];
      BEGIN
        IF TG_OP = 'INSERT' THEN
          SELECT array_agg(season_id::bigint), array_agg(xp),
                 array_agg((account_id % 16)::smallint), array_agg(1::bigint)
            INTO boards, xps, slots, deltas FROM new_rows;
        ELSIF TG_OP = 'DELETE' THEN
          SELECT array_agg(season_id::bigint), array_agg(xp),
                 array_agg((account_id % 16)::smallint), array_agg(-1::bigint)
            INTO boards, xps, slots, deltas FROM old_rows;
        ELSE
          SELECT array_agg(season_id::bigint), array_agg(xp),
                 array_agg((account_id % 16)::smallint), array_agg(d)
            INTO boards, xps, slots, deltas
            FROM (SELECT season_id, xp, account_id, -1::bigint AS d FROM old_rows
                  UNION ALL
                  SELECT season_id, xp, account_id, 1::bigint FROM new_rows) moved;
        END IF;
        -- The award's upsert fires the INSERT trigger with no row when it updated one.
        IF boards IS NOT NULL THEN
          PERFORM xp_place_counts_add(boards, xps, slots, deltas);
        END IF;
        RETURN NULL;
      END $$`);
    for (const [table, kind] of [
      ['accounts', 'accounts'],
      ['season_scores', 'scores'],
    ]) {
      for (const [event, referencing] of [
        ['INSERT', 'NEW TABLE AS new_rows'],
        ['UPDATE', 'OLD TABLE AS old_rows NEW TABLE AS new_rows'],
        ['DELETE', 'OLD TABLE AS old_rows'],
      ]) {
        await q.query(`
          CREATE TRIGGER xp_place_counts_${kind}_${event.toLowerCase()} AFTER ${event} ON ${table}
            REFERENCING ${referencing}
            FOR EACH STATEMENT EXECUTE FUNCTION xp_place_counts_${kind}()`);
      }
    }

    await q.query(`
      CREATE FUNCTION xp_place_counts_truncate() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_TABLE_NAME = 'accounts' THEN
          DELETE FROM xp_place_counts WHERE board = 0;
        ELSE
          DELETE FROM xp_place_counts WHERE board <> 0;
        END IF;
        RETURN NULL;
      END $$`);
    for (const table of ['accounts', 'season_scores']) {
      await q.query(`
        CREATE TRIGGER xp_place_counts_${table}_truncate AFTER TRUNCATE ON ${table}
          FOR EACH STATEMENT EXECUTE FUNCTION xp_place_counts_truncate()`);
    }

    // The counts from a full count, per slot as the triggers keep them: the fill below and
    // reconcile's repair of drift (ReadCountersCheck).
    await q.query(`
      CREATE FUNCTION xp_place_counts_rebuild() RETURNS void
      LANGUAGE sql AS $$
        DELETE FROM xp_place_counts;
        INSERT INTO xp_place_counts (board, xp, slot, n)
        SELECT 0, xp, (id % 16)::smallint, count(*) FROM accounts WHERE merged_into IS NULL
         GROUP BY 2, 3
        UNION ALL
        SELECT season_id, xp, (account_id % 16)::smallint, count(*) FROM season_scores
         GROUP BY 1, 2, 3;
      $$`);
    await q.query(`SELECT xp_place_counts_rebuild()`);
  }

  async down(q: QueryRunner): Promise<void> {
    // CASCADE: a trigger function takes its triggers with it.
    for (const fn of [
      'xp_place_counts_accounts()',
      'xp_place_counts_scores()',
      'xp_place_counts_truncate()',
      'xp_place_counts_rebuild()',
      'xp_place_counts_add(bigint[], bigint[], smallint[], bigint[])',
      'xp_place_count_add(bigint, bigint, smallint, bigint)',
    ]) {
      await q.query(`DROP FUNCTION ${fn} CASCADE`);
    }
    await q.query(`DROP TABLE xp_place_counts`);
  }
}
