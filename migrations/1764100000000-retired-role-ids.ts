import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Discord roles that a mapping used to name. Once a mapping changes, its old role is no longer
 * in either mapping table, so role convergence would stop treating it as ours and never take it
 * back. Keeping it here keeps it "managed" (removable, never added) until an admin maps it again.
 */
export class RetiredRoleIds1764100000000 implements MigrationInterface {
  name = 'RetiredRoleIds1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE retired_role_ids (
        discord_role_id text        PRIMARY KEY CHECK (discord_role_id ~ '^[0-9]{17,20}$'),
        retired_at      timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE retired_role_ids`);
  }
}
