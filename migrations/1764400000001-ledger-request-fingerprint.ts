import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a keyed request asked for (account, currency, amount, reason), hashed, beside its
 * idempotency key: a resend with the same key and the same request gets the first result, the
 * same key with another request is refused (IDEMPOTENCY_KEY_REUSED). Null for entries written
 * before, and for business keys (daily, game, message) whose key already names the request.
 */
export class LedgerRequestFingerprint1764400000001 implements MigrationInterface {
  name = 'LedgerRequestFingerprint1764400000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ledger_entries ADD COLUMN request_fingerprint text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ledger_entries DROP COLUMN request_fingerprint`);
  }
}
