import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `role_mappings_state.version`: a counter every change to the role mappings bumps, so each
 * process can cache the mappings (libs/sync RoleMappingsCache) and reload them only when the
 * version it is asked for is newer than the one it holds.
 *
 * The bump is a statement-level trigger on `rank_role_mappings`, `achievement_role_mappings` and
 * `retired_role_ids` (insert, update, delete, truncate): it runs in the writer's own transaction
 * whatever SQL writes the rows (the admin API's RoleMappingsService, an import's role
 * recognition, a test or an operator by hand), so the new version becomes visible exactly when
 * the new mappings do. One row (`singleton` is its key and can only be true); mapping writes are
 * rare and already serialized, so the single hot row costs nothing.
 */
export class RoleMappingsVersion1764700000000 implements MigrationInterface {
  name = 'RoleMappingsVersion1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE role_mappings_state (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        version bigint NOT NULL
      )`);
    await q.query(`INSERT INTO role_mappings_state (singleton, version) VALUES (true, 1)`);
    await q.query(`
      CREATE FUNCTION role_mappings_bump_version() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE role_mappings_state SET version = version + 1;
        RETURN NULL;
      END $$`);
    for (const table of TABLES) {
      await q.query(`
        CREATE TRIGGER ${table}_bump_version
          AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
          FOR EACH STATEMENT EXECUTE FUNCTION role_mappings_bump_version()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      await q.query(`DROP TRIGGER ${table}_bump_version ON ${table}`);
    }
    await q.query(`DROP FUNCTION role_mappings_bump_version()`);
    await q.query(`DROP TABLE role_mappings_state`);
  }
}

const TABLES = ['rank_role_mappings', 'achievement_role_mappings', 'retired_role_ids'] as const;
