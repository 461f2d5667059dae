import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The correlation id of whatever caused an outbox row (an HTTP request, a Telegram update, a
 * Discord interaction or message, a cron run). The row outlives the process that wrote it and
 * is processed by another, so the id travels with the row, not with the job: a job carries
 * events of many causes, and the relay re-enqueues rows without the original job.
 */
export class SyncEventCorrelation1764200000000 implements MigrationInterface {
  name = 'SyncEventCorrelation1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sync_events ADD COLUMN correlation_id text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE sync_events DROP COLUMN correlation_id`);
  }
}
