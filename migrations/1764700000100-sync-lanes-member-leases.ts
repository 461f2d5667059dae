import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sync transport v2 (issue 19): jobs are wake-ups of a lane, rows are claimed from Postgres.
 * - `sync_events.lane`: the queue of work a row belongs to (`roles`, `roles-bulk` for mass
 *   changes), so a claimer takes due rows of one lane through one index.
 * - A claimed row's `next_attempt_at` is its lease's end, so "due" is one range for pending rows
 *   and for rows whose worker died: `status IN ('pending', 'processing') AND next_attempt_at <=
 *   now()`, the partial index below.
 * - `sync_member_leases`: per Discord member, who converges them until when (the database's
 *   clock). Taken in the claim statement, released in the settle statement; replaces the Redis
 *   member lock. Keyed by the Discord user id, not the account: link and unlink move a member
 *   between accounts.
 */
export class SyncLanesMemberLeases1764700000100 implements MigrationInterface {
  name = 'SyncLanesMemberLeases1764700000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sync_events ADD COLUMN lane text NOT NULL DEFAULT 'roles'`);
    await q.query(`
      UPDATE sync_events SET lane = 'roles-bulk'
       WHERE status IN ('pending', 'processing') AND type = 'roles.resync'
         AND (payload->>'bulk' = 'true' OR payload->>'reason' LIKE '%\\_mapping\\_changed')`);
    await q.query(`
      UPDATE sync_events SET next_attempt_at = coalesce(lease_until, next_attempt_at)
       WHERE status = 'processing'`);
    await q.query(`DROP INDEX sync_events_open_idx`);
    await q.query(`
      CREATE INDEX sync_events_lane_due_idx ON sync_events (lane, next_attempt_at, id)
        WHERE status IN ('pending', 'processing')`);
    await q.query(`
      CREATE TABLE sync_member_leases (
        discord_user_id text PRIMARY KEY,
        holder text NOT NULL,
        lease_until timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE sync_member_leases`);
    await q.query(`DROP INDEX sync_events_lane_due_idx`);
    await q.query(`
      CREATE INDEX sync_events_open_idx ON sync_events (next_attempt_at, id)
        WHERE status IN ('pending', 'processing')`);
    await q.query(`ALTER TABLE sync_events DROP COLUMN lane`);
  }
}
