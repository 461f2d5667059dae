import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Read models for a year of history: the `/metrics` gauges, the admin sync stats and the
 * dashboard's overview read counters instead of scanning `sync_events`, `accounts` and
 * `identities`, and the remaining hot reads get their index.
 *
 * - `sync_event_counts (type, status, slot, n)`: outbox rows per (type, status). Kept by
 *   statement-level triggers on `sync_events` (insert, update, delete, truncate), so the counters
 *   move in the same transaction as the change whatever SQL writes the rows (the award, the
 *   transport, retention, an import). An UPDATE adds `count(new) - count(old)` per key, so a lease
 *   renewal or an attempt count changes nothing. `slot` = backend pid mod 64 spreads concurrent
 *   writers over 64 rows per key (no hot row); readers sum the slots. Keys are upserted in
 *   (type, status) order so two writers on one slot take the rows in the same order.
 * - `community_counts (name, slot, n)`: `players` (accounts not merged) and `linked_players`
 *   (accounts holding both a Telegram and a Discord identity). `accounts` inserts and deletes are
 *   counted per statement; a merge (`merged_into` set) by a row trigger limited to that column, so
 *   an award's `UPDATE accounts SET xp = ...` never fires it. Identity changes recount only the
 *   accounts the statement touched (before = rows now minus the statement's new rows plus its
 *   old rows).
 * - `reconcile_state`: the incremental reconcile's watermark (ledger ids already checked twice:
 *   `ledger_watermark`, and the highest id the last pass saw: `ledger_seen`) and the rolling full
 *   pass's cursor (libs/sync reconcile); `reconcile_reports.mode` says which pass a run was.
 * - Indexes: the quiz's recent questions of a player, link attempts, finished games and closed
 *   voice sessions by time (the gauges and retention), the oldest open event (the lag gauge),
 *   and completed events covering created_at and attempts (the overview's series, index-only).
 */
export class ReadModelCounters1764520000000 implements MigrationInterface {
  name = 'ReadModelCounters1764520000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sync_event_counts (
        type   text     NOT NULL,
        status text     NOT NULL,
        slot   smallint NOT NULL,
        n      bigint   NOT NULL,
        PRIMARY KEY (type, status, slot)
      )`);
    await q.query(`
      CREATE FUNCTION sync_event_counts_apply() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO sync_event_counts (type, status, slot, n)
          SELECT type, status, (pg_backend_pid() % 64)::smallint, count(*)
            FROM new_rows GROUP BY type, status ORDER BY type, status
          ON CONFLICT (type, status, slot) DO UPDATE SET n = sync_event_counts.n + EXCLUDED.n;
        ELSIF TG_OP = 'DELETE' THEN
          INSERT INTO sync_event_counts (type, status, slot, n)
          SELECT type, status, (pg_backend_pid() % 64)::smallint, -count(*)
            FROM old_rows GROUP BY type, status ORDER BY type, status
          ON CONFLICT (type, status, slot) DO UPDATE SET n = sync_event_counts.n + EXCLUDED.n;
        ELSE
          INSERT INTO sync_event_counts (type, status, slot, n)
          SELECT type, status, (pg_backend_pid() % 64)::smallint, sum(d)
            FROM (SELECT type, status, 1 AS d FROM new_rows
                  UNION ALL
                  SELECT type, status, -1 AS d FROM old_rows) changed
           GROUP BY type, status HAVING sum(d) <> 0 ORDER BY type, status
          ON CONFLICT (type, status, slot) DO UPDATE SET n = sync_event_counts.n + EXCLUDED.n;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER sync_event_counts_insert AFTER INSERT ON sync_events
        REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION sync_event_counts_apply()`);
    await q.query(`
      CREATE TRIGGER sync_event_counts_update AFTER UPDATE ON sync_events
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION sync_event_counts_apply()`);
    await q.query(`
      CREATE TRIGGER sync_event_counts_delete AFTER DELETE ON sync_events
        REFERENCING OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION sync_event_counts_apply()`);
    await q.query(`
      CREATE FUNCTION sync_event_counts_truncate() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM sync_event_counts;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER sync_event_counts_truncate AFTER TRUNCATE ON sync_events
        FOR EACH STATEMENT EXECUTE FUNCTION sync_event_counts_truncate()`);
    await q.query(`
      INSERT INTO sync_event_counts (type, status, slot, n)
      SELECT type, status, 0, count(*) FROM sync_events GROUP BY type, status`);

    await q.query(`
      CREATE TABLE community_counts (
        name text     NOT NULL CHECK (name IN ('players', 'linked_players')),
        slot smallint NOT NULL,
        n    bigint   NOT NULL,
        PRIMARY KEY (name, slot)
      )`);
    await q.query(`
      CREATE FUNCTION community_count_add(counter text, delta bigint) RETURNS void
      LANGUAGE sql AS $$
        INSERT INTO community_counts (name, slot, n)
        SELECT counter, (pg_backend_pid() % 64)::smallint, delta WHERE delta <> 0
        ON CONFLICT (name, slot) DO UPDATE SET n = community_counts.n + EXCLUDED.n
      $$`);
    await q.query(`
      CREATE FUNCTION community_counts_accounts() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          PERFORM community_count_add('players',
            (SELECT count(*) FROM new_rows WHERE merged_into IS NULL));
        ELSE
          PERFORM community_count_add('players',
            -(SELECT count(*) FROM old_rows WHERE merged_into IS NULL));
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER community_counts_accounts_insert AFTER INSERT ON accounts
        REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION community_counts_accounts()`);
    await q.query(`
      CREATE TRIGGER community_counts_accounts_delete AFTER DELETE ON accounts
        REFERENCING OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION community_counts_accounts()`);
    await q.query(`
      CREATE FUNCTION community_counts_merge() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM community_count_add('players',
          (NEW.merged_into IS NULL)::int - (OLD.merged_into IS NULL)::int);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER community_counts_accounts_merge AFTER UPDATE OF merged_into ON accounts
        FOR EACH ROW WHEN (OLD.merged_into IS DISTINCT FROM NEW.merged_into)
        EXECUTE FUNCTION community_counts_merge()`);

    // Linked = both platforms on one account. Recount only the touched accounts: after = their
    // identities now; before = now minus this statement's new rows plus its old rows.
    await q.query(`
      CREATE FUNCTION community_counts_identities() RETURNS trigger
      LANGUAGE plpgsql AS $$
      DECLARE
        new_ids       bigint[] := '{}';
        old_accounts  bigint[] := '{}';
        old_platforms text[]   := '{}';
        touched       bigint[] := '{}';
        after_linked  bigint;
        before_linked bigint;
      BEGIN
        -- plpgsql plans a statement when it first runs it, so each branch may name only the
        -- transition tables its trigger declares.
        IF TG_OP = 'UPDATE' THEN
          IF NOT EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n USING (id)
                          WHERE o.account_id <> n.account_id OR o.platform <> n.platform) THEN
            RETURN NULL;
          END IF;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
          SELECT COALESCE(array_agg(id), '{}'), COALESCE(array_agg(account_id), '{}')
            INTO new_ids, touched FROM new_rows;
        END IF;
        IF TG_OP IN ('DELETE', 'UPDATE') THEN
          SELECT COALESCE(array_agg(account_id), '{}'), COALESCE(array_agg(platform), '{}')
            INTO old_accounts, old_platforms FROM old_rows;
          touched := touched || old_accounts;
        END IF;
        SELECT count(*) INTO after_linked FROM
          (SELECT account_id FROM identities WHERE account_id = ANY (touched)
            GROUP BY account_id HAVING count(DISTINCT platform) = 2) linked;
        SELECT count(*) INTO before_linked FROM
          (SELECT account_id FROM
             (SELECT account_id, platform FROM identities
               WHERE account_id = ANY (touched) AND NOT (id = ANY (new_ids))
              UNION ALL
              SELECT * FROM unnest(old_accounts, old_platforms)) before_rows(account_id, platform)
            GROUP BY account_id HAVING count(DISTINCT platform) = 2) linked;
        PERFORM community_count_add('linked_players', after_linked - before_linked);
        RETURN NULL;
      END $$`);
    for (const [event, referencing] of [
      ['INSERT', 'NEW TABLE AS new_rows'],
      ['UPDATE', 'OLD TABLE AS old_rows NEW TABLE AS new_rows'],
      ['DELETE', 'OLD TABLE AS old_rows'],
    ]) {
      await q.query(`
        CREATE TRIGGER community_counts_identities_${event.toLowerCase()}
          AFTER ${event} ON identities REFERENCING ${referencing}
          FOR EACH STATEMENT EXECUTE FUNCTION community_counts_identities()`);
    }
    await q.query(`
      INSERT INTO community_counts (name, slot, n)
      SELECT 'players', 0, count(*) FROM accounts WHERE merged_into IS NULL
      UNION ALL
      SELECT 'linked_players', 0, count(*) FROM
        (SELECT account_id FROM identities GROUP BY account_id
          HAVING count(DISTINCT platform) = 2) linked`);

    await q.query(`
      CREATE TABLE reconcile_state (
        id                 smallint PRIMARY KEY CHECK (id = 1),
        ledger_watermark   bigint   NOT NULL DEFAULT 0,
        ledger_seen        bigint   NOT NULL DEFAULT 0,
        rolling_after      bigint   NOT NULL DEFAULT 0,
        rolling_started_at timestamptz,
        updated_at         timestamptz
      )`);
    await q.query(`
      INSERT INTO reconcile_state (id, ledger_watermark, ledger_seen)
      SELECT 1, COALESCE(max(id), 0), COALESCE(max(id), 0) FROM ledger_entries`);
    await q.query(
      `ALTER TABLE reconcile_reports ADD COLUMN mode text NOT NULL DEFAULT 'full'
         CHECK (mode IN ('full', 'incremental'))`,
    );

    await q.query(
      `CREATE INDEX game_sessions_account_recent_idx ON game_sessions (account_id, game, id DESC)`,
    );
    await q.query(
      `CREATE INDEX game_sessions_finished_idx ON game_sessions (finished_at) WHERE status <> 'active'`,
    );
    await q.query(`CREATE INDEX link_attempts_time_idx ON link_attempts (attempted_at)`);
    await q.query(
      `CREATE INDEX voice_sessions_closed_idx ON voice_sessions (closed_at) WHERE status = 'closed'`,
    );
    await q.query(`
      CREATE INDEX sync_events_open_created_idx ON sync_events (created_at)
        WHERE status IN ('pending', 'processing')`);
    // The throughput series and the lag percentiles read created_at and attempts of every
    // completed event in their window: carried in the index, they need no heap visit.
    await q.query(`DROP INDEX sync_events_completed_idx`);
    await q.query(`
      CREATE INDEX sync_events_completed_idx ON sync_events (completed_at)
        INCLUDE (created_at, attempts) WHERE status = 'completed'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX sync_events_completed_idx`);
    await q.query(`
      CREATE INDEX sync_events_completed_idx ON sync_events (completed_at)
        WHERE status = 'completed'`);
    await q.query(`DROP INDEX sync_events_open_created_idx`);
    await q.query(`DROP INDEX voice_sessions_closed_idx`);
    await q.query(`DROP INDEX link_attempts_time_idx`);
    await q.query(`DROP INDEX game_sessions_finished_idx`);
    await q.query(`DROP INDEX game_sessions_account_recent_idx`);
    await q.query(`ALTER TABLE reconcile_reports DROP COLUMN mode`);
    await q.query(`DROP TABLE reconcile_state`);
    for (const event of ['insert', 'update', 'delete']) {
      await q.query(`DROP TRIGGER community_counts_identities_${event} ON identities`);
    }
    await q.query(`DROP FUNCTION community_counts_identities()`);
    await q.query(`DROP TRIGGER community_counts_accounts_merge ON accounts`);
    await q.query(`DROP FUNCTION community_counts_merge()`);
    await q.query(`DROP TRIGGER community_counts_accounts_insert ON accounts`);
    await q.query(`DROP TRIGGER community_counts_accounts_delete ON accounts`);
    await q.query(`DROP FUNCTION community_counts_accounts()`);
    await q.query(`DROP FUNCTION community_count_add(text, bigint)`);
    await q.query(`DROP TABLE community_counts`);
    await q.query(`DROP TRIGGER sync_event_counts_truncate ON sync_events`);
    await q.query(`DROP FUNCTION sync_event_counts_truncate()`);
    for (const event of ['insert', 'update', 'delete']) {
      await q.query(`DROP TRIGGER sync_event_counts_${event} ON sync_events`);
    }
    await q.query(`DROP FUNCTION sync_event_counts_apply()`);
    await q.query(`DROP TABLE sync_event_counts`);
  }
}
