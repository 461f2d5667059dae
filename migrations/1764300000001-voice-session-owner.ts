import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fences voice checkpoints: an open `voice_sessions` row belongs to the tracker that opened it
 * (`owner`, one id per process). A checkpoint credits only a row that is still open and still
 * its own, so two Discord processes overlapping during a deploy credit each minute once: the
 * newer one closes the older one's rows at start, and the older one's checkpoints stop there.
 * Rows opened before this migration have no owner: no tracker credits them again.
 */
export class VoiceSessionOwner1764300000001 implements MigrationInterface {
  name = 'VoiceSessionOwner1764300000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE voice_sessions ADD COLUMN owner text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE voice_sessions DROP COLUMN owner`);
  }
}
