import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@ttfd/clock';
import { ImportSource } from './import-plan';
import { ImportReport } from './import-report';

export type ImportRunStatus = 'queued' | 'running' | 'completed' | 'failed' | 'reverted';

export interface ImportRunOptions {
  dryRun?: boolean;
  factor?: number;
  applyRoleRewards?: boolean;
}

export interface ImportRun {
  id: string;
  source: ImportSource;
  origin: 'cli' | 'api';
  status: ImportRunStatus;
  fileName: string | null;
  options: ImportRunOptions;
  progress: { done: number; total: number };
  report: ImportReport | null;
  revertReport: Record<string, unknown> | null;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

interface Row {
  id: string;
  source: ImportSource;
  origin: 'cli' | 'api';
  status: ImportRunStatus;
  file_name: string | null;
  options: ImportRunOptions & { revertReport?: Record<string, unknown> };
  players_total: number;
  players_done: number;
  report: ImportReport | null;
  error: string | null;
  created_at: Date;
  finished_at: Date | null;
}

/** `import_runs`: what an operator sees of a run (progress, report), and the upload it runs. */
@Injectable()
export class ImportRunsRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async create(input: {
    source: ImportSource;
    origin: 'cli' | 'api';
    fileName: string | null;
    options: ImportRunOptions;
    upload?: Buffer;
    status: ImportRunStatus;
  }): Promise<string> {
    const now = this.clock.now();
    const [row]: { id: string }[] = await this.dataSource.query(
      `INSERT INTO import_runs (source, origin, status, file_name, options, upload, created_at, started_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $3 = 'running' THEN $7::timestamptz END)
       RETURNING id`,
      [
        input.source,
        input.origin,
        input.status,
        input.fileName,
        JSON.stringify(input.options),
        input.upload ?? null,
        now,
      ],
    );
    return String(row.id);
  }

  async get(id: string): Promise<ImportRun | null> {
    if (!/^[0-9]{1,18}$/.test(id)) return null;
    const rows: Row[] = await this.dataSource.query(
      `SELECT id, source, origin, status, file_name, options, players_total, players_done, report,
              error, created_at, finished_at
         FROM import_runs WHERE id = $1`,
      [id],
    );
    const row = rows[0];
    if (!row) return null;
    const { revertReport, ...options } = row.options;
    return {
      id: String(row.id),
      source: row.source,
      origin: row.origin,
      status: row.status,
      fileName: row.file_name,
      options,
      progress: { done: row.players_done, total: row.players_total },
      report: row.report,
      revertReport: revertReport ?? null,
      error: row.error,
      createdAt: row.created_at,
      finishedAt: row.finished_at,
    };
  }

  /** Claims a queued run for the worker: one claim wins (a re-delivered job finds nothing). */
  async claim(
    id: string,
  ): Promise<{ upload: Buffer; source: ImportSource; options: ImportRunOptions } | null> {
    const [rows]: [
      { upload: Buffer | null; source: ImportSource; options: ImportRunOptions }[],
      number,
    ] = await this.dataSource.query(
      `UPDATE import_runs SET status = 'running', started_at = $2
          WHERE id = $1 AND status = 'queued'
          RETURNING upload, source, options`,
      [id, this.clock.now()],
    );
    const row = rows[0];
    if (!row || !row.upload) return null;
    return { upload: row.upload, source: row.source, options: row.options };
  }

  async progress(id: string, done: number, total: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE import_runs SET players_done = $2, players_total = $3 WHERE id = $1`,
      [id, done, total],
    );
  }

  async finish(id: string, report: ImportReport): Promise<void> {
    await this.dataSource.query(
      `UPDATE import_runs
          SET status = 'completed', report = $2, upload = NULL, finished_at = $3,
              players_done = players_total
        WHERE id = $1`,
      [id, JSON.stringify(report), this.clock.now()],
    );
  }

  async fail(id: string, message: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE import_runs SET status = 'failed', error = $2, upload = NULL, finished_at = $3
        WHERE id = $1`,
      [id, message.slice(0, 2000), this.clock.now()],
    );
  }

  async setReport(id: string, report: ImportReport): Promise<void> {
    await this.dataSource.query(`UPDATE import_runs SET report = $2 WHERE id = $1`, [
      id,
      JSON.stringify(report),
    ]);
  }
}
