import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `sync_events_created_idx (created_at)` serves no query since the read models of issue 20: the
 * oldest open row reads `sync_events_open_created_idx`, retention `sync_events_completed_idx`.
 * Every outbox row is written three times (inserted, claimed, settled), none of them a HOT
 * update, so each index costs three insertions per row; on the sync's path at 500 rank-ups/s
 * (three rows each) Postgres is most of the machine.
 */
export class DropSyncEventsCreatedIndex1765000000000 implements MigrationInterface {
  name = 'DropSyncEventsCreatedIndex1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS sync_events_created_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS sync_events_created_idx ON sync_events (created_at)`);
  }
}
