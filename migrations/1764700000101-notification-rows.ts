import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notifications in lanes of their own (issue 19): one `notify.dm` row per platform a player is
 * told on (lanes `dm:telegram`, `dm:discord`), so a slow or failing platform never holds a role
 * change nor repeats the other platform's message. `first_attempt_at` (the database's clock,
 * set by the first claim) bounds a Discord DM's retries to the window in which Discord still
 * deduplicates its nonce.
 */
export class NotificationRows1764700000101 implements MigrationInterface {
  name = 'NotificationRows1764700000101';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sync_events ADD COLUMN first_attempt_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sync_events DROP COLUMN first_attempt_at`);
  }
}
