import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox's two counters (`sync_event_counts`, 1764520000000; `sync_completion_counts`,
 * 1764900000000) were kept by two statement triggers per event, each running its own upsert:
 * every insert, claim and settle of `sync_events` paid two plpgsql calls, two executor starts
 * and two scans of the transition tables. Profiled at 500 rank-ups/s (perf over the bench's
 * latency window), triggers took about a fifth of Postgres' CPU, most of it these, and Postgres
 * is what keeps the machine busy.
 *
 * One trigger per event now runs one statement that reads the transition tables once (the
 * `changed` rows, +1 new and -1 old) and upserts both counters from them. What the counters
 * hold is unchanged: per (type, status) every row; per (minute, lag bin) the rows that became
 * completed (an update moves them, a delete subtracts nothing, as before). Keys are upserted in
 * key order, counters in the same order in every statement, so two writers on one slot take
 * the rows in the same order.
 *
 * The two former functions stay in place, unattached, for `down`.
 */
/** Both counters moved by the rows of `changed` (type, status, attempts, times, d = +1 / -1). */
function upsertBothCounters(changed: string): string {
  return `WITH changed AS (${changed}),
          by_status AS (
            INSERT INTO sync_event_counts (type, status, slot, n)
            SELECT type, status, (pg_backend_pid() % 64)::smallint, sum(d)
              FROM changed GROUP BY type, status HAVING sum(d) <> 0 ORDER BY type, status
            ON CONFLICT (type, status, slot) DO UPDATE SET n = sync_event_counts.n + EXCLUDED.n)
          INSERT INTO sync_completion_counts (minute, lag_bin, slot, n)
          SELECT date_trunc('minute', completed_at),
                 sync_lag_bin(attempts, created_at, completed_at),
                 (pg_backend_pid() % 64)::smallint, sum(d)
            FROM changed WHERE status = 'completed' AND completed_at IS NOT NULL
           GROUP BY 1, 2 HAVING sum(d) <> 0 ORDER BY 1, 2
          ON CONFLICT (minute, lag_bin, slot)
            DO UPDATE SET n = sync_completion_counts.n + EXCLUDED.n`;
}

const ROWS = 'type, status, attempts, created_at, completed_at';

/** The transition tables each event's trigger declares. */
const TRANSITION_TABLES = {
  INSERT: 'NEW TABLE AS new_rows',
  UPDATE: 'OLD TABLE AS old_rows NEW TABLE AS new_rows',
  DELETE: 'OLD TABLE AS old_rows',
} as const;

function statementTrigger(name: string, event: keyof typeof TRANSITION_TABLES, fn: string): string {
  return `CREATE TRIGGER ${name} AFTER ${event} ON sync_events
            REFERENCING ${TRANSITION_TABLES[event]}
            FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`;
}

export class SyncEventCountersOneTrigger1765100000000 implements MigrationInterface {
  name = 'SyncEventCountersOneTrigger1765100000000';

  async up(q: QueryRunner): Promise<void> {
    for (const trigger of [
      'sync_event_counts_insert',
      'sync_event_counts_update',
      'sync_event_counts_delete',
      'sync_completion_counts_insert',
      'sync_completion_counts_update',
    ]) {
      await q.query(`DROP TRIGGER ${trigger} ON sync_events`);
    }
    // plpgsql plans a statement when it first runs it, so each branch names only the
    // transition tables its trigger declares.
    await q.query(`
      CREATE FUNCTION sync_events_counts_apply() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          ${upsertBothCounters(`SELECT ${ROWS}, 1 AS d FROM new_rows`)};
        ELSIF TG_OP = 'UPDATE' THEN
          -- A lease renewal or an attempt count moves nothing; a claim moves a row from
          -- pending to processing; a settle into completed adds a completion.
          ${upsertBothCounters(
            `SELECT ${ROWS}, 1 AS d FROM new_rows UNION ALL SELECT ${ROWS}, -1 FROM old_rows`,
          )};
        ELSE
          -- Retention deletes old events, not what happened: completions stay counted.
          INSERT INTO sync_event_counts (type, status, slot, n)
          SELECT type, status, (pg_backend_pid() % 64)::smallint, -count(*)
            FROM old_rows GROUP BY type, status ORDER BY type, status
          ON CONFLICT (type, status, slot) DO UPDATE SET n = sync_event_counts.n + EXCLUDED.n;
        END IF;
        RETURN NULL;
      END $$`);
    for (const event of ['INSERT', 'UPDATE', 'DELETE'] as const) {
      await q.query(
        statementTrigger(
          `sync_events_counts_${event.toLowerCase()}`,
          event,
          'sync_events_counts_apply',
        ),
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const event of ['DELETE', 'UPDATE', 'INSERT']) {
      await q.query(`DROP TRIGGER sync_events_counts_${event.toLowerCase()} ON sync_events`);
    }
    await q.query(`DROP FUNCTION sync_events_counts_apply()`);
    for (const event of ['INSERT', 'UPDATE', 'DELETE'] as const) {
      const name = event.toLowerCase();
      await q.query(
        statementTrigger(`sync_event_counts_${name}`, event, 'sync_event_counts_apply'),
      );
      if (event === 'DELETE') continue; // a delete subtracts no completion
      await q.query(
        statementTrigger(`sync_completion_counts_${name}`, event, 'sync_completion_counts_apply'),
      );
    }
  }
}
