import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the platform refused, kept beside `last_error` so the events page can say which role and
 * member Discord refused and what to do: `{ message, httpStatus?, discordCode?, roleId?,
 * memberId? }`. Null while an event has not failed.
 */
export class SyncEventFailure1764460000000 implements MigrationInterface {
  name = 'SyncEventFailure1764460000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sync_events ADD COLUMN failure jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sync_events DROP COLUMN failure`);
  }
}
