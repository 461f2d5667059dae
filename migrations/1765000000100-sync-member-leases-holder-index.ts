import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every batch's settle releases its member leases by holder (`DELETE ... WHERE holder = $1`),
 * and a slow batch renews them the same way. Without an index that was a scan of the whole
 * table, and the table is small only when vacuumed: each lease is inserted and deleted once per
 * batch, so between autovacuum's passes (a minute apart) the scan read every lease of the last
 * minute. At 500 rank-ups/s, 30 s into the bench, 50 live leases lay among 15,000 dead ones on
 * 69 pages, scanned once per batch.
 */
export class SyncMemberLeasesHolderIndex1765000000100 implements MigrationInterface {
  name = 'SyncMemberLeasesHolderIndex1765000000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX IF NOT EXISTS sync_member_leases_holder_idx ON sync_member_leases (holder)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS sync_member_leases_holder_idx`);
  }
}
