import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Imports (libs/imports): one row per run of `npm run import` or `POST /admin/imports`.
 *
 * - `import_runs.upload`: the uploaded file, kept until the worker has run it (an API replica
 *   and the worker need not share a disk); cleared when the run ends.
 * - `ledger_entries_import_idx`: the rows a run wrote (entity_id `import-run:{id}`) and those its
 *   revert wrote (`import-revert:{id}`), for the revert and the role convergence; partial, so
 *   the index holds import rows only.
 */
export class ImportRuns1764530000000 implements MigrationInterface {
  name = 'ImportRuns1764530000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE import_runs (
        id            bigserial   PRIMARY KEY,
        source        text        NOT NULL CHECK (source IN ('mee6', 'csv', 'stage1')),
        origin        text        NOT NULL CHECK (origin IN ('cli', 'api')),
        status        text        NOT NULL DEFAULT 'queued'
                                  CHECK (status IN ('queued', 'running', 'completed', 'failed', 'reverted')),
        file_name     text,
        options       jsonb       NOT NULL DEFAULT '{}'::jsonb,
        upload        bytea,
        players_total integer     NOT NULL DEFAULT 0 CHECK (players_total >= 0),
        players_done  integer     NOT NULL DEFAULT 0 CHECK (players_done >= 0),
        report        jsonb,
        error         text,
        created_at    timestamptz NOT NULL DEFAULT now(),
        started_at    timestamptz,
        finished_at   timestamptz,
        reverted_at   timestamptz
      )`);
    await q.query(`
      CREATE INDEX ledger_entries_import_idx ON ledger_entries (entity_id, account_id)
        WHERE reason = 'import'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ledger_entries_import_idx`);
    await q.query(`DROP TABLE import_runs`);
  }
}
