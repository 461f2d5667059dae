import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two columns later work builds on:
 * - `ledger_entries.metadata`: why an amount is what it is (the XP rule, multiplier or event that
 *   applied), so an admin can answer "why did I get 45 XP". Null when no rule shaped the amount.
 * - the player's own settings on `accounts`: `dm_opt_out` (no direct messages; roles still
 *   follow) and `leaderboard_hidden` (shown as "Hidden player", keeping the place).
 */
export class LedgerMetadataPlayerSettings1764450000000 implements MigrationInterface {
  name = 'LedgerMetadataPlayerSettings1764450000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ledger_entries ADD COLUMN metadata jsonb`);
    await q.query(`
      ALTER TABLE accounts
        ADD COLUMN dm_opt_out boolean NOT NULL DEFAULT false,
        ADD COLUMN leaderboard_hidden boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE accounts DROP COLUMN dm_opt_out, DROP COLUMN leaderboard_hidden`);
    await q.query(`ALTER TABLE ledger_entries DROP COLUMN metadata`);
  }
}
