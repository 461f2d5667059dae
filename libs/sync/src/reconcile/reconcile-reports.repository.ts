import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@ttfd/clock';
import type { ReconcileJobData, ReconcileMode } from './reconcile.job';
import { ReconcileTally } from './reconcile-tally';

export interface ReconcileReport {
  id: string;
  jobId: string;
  trigger: 'schedule' | 'manual';
  /** full: every account, score and counter; incremental: changes since the watermark plus a rolling slice. */
  mode: ReconcileMode;
  status: 'running' | 'completed' | 'failed';
  checked: Record<string, number>;
  drifted: Record<string, number>;
  fixed: Record<string, number>;
  alerts: { kind: string; message: string }[];
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

/** The rows of `reconcile_reports`: one per run, keyed by its job id. */
@Injectable()
export class ReconcileReportsRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /**
   * Marks the run started; false when this job id already completed (a scheduled slot runs
   * once however often BullMQ hands it out). A failed or interrupted run starts again.
   */
  async start(
    jobId: string,
    trigger: ReconcileJobData['trigger'],
    mode: ReconcileMode,
  ): Promise<boolean> {
    const started: { status: string }[] = await this.dataSource.query(
      `INSERT INTO reconcile_reports (job_id, trigger, mode, status, started_at)
       VALUES ($1, $2, $3, 'running', $4)
       ON CONFLICT (job_id) DO UPDATE SET status = 'running', started_at = EXCLUDED.started_at,
              error = NULL, finished_at = NULL
         WHERE reconcile_reports.status <> 'completed'
       RETURNING status`,
      [jobId, trigger, mode, this.clock.now()],
    );
    return started.length > 0;
  }

  async save(
    jobId: string,
    status: 'completed' | 'failed',
    tally: ReconcileTally,
    error: string | null,
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE reconcile_reports
          SET status = $2, checked = $3, drifted = $4, fixed = $5, alerts = $6, error = $7,
              finished_at = $8
        WHERE job_id = $1`,
      [
        jobId,
        status,
        JSON.stringify(tally.checked),
        JSON.stringify(tally.drifted),
        JSON.stringify(tally.fixed),
        JSON.stringify(tally.alerts.map((a) => ({ kind: a.kind, message: a.message }))),
        error,
        this.clock.now(),
      ],
    );
  }

  async latest(limit: number): Promise<ReconcileReport[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT * FROM reconcile_reports ORDER BY started_at DESC, id DESC LIMIT $1`,
      [limit],
    );
    return rows.map(toReport);
  }

  async byJobId(jobId: string): Promise<ReconcileReport | null> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT * FROM reconcile_reports WHERE job_id = $1`,
      [jobId],
    );
    return rows.length > 0 ? toReport(rows[0]) : null;
  }
}

function toReport(row: Record<string, unknown>): ReconcileReport {
  return {
    id: String(row.id),
    jobId: row.job_id as string,
    trigger: row.trigger as ReconcileReport['trigger'],
    mode: (row.mode as ReconcileMode | undefined) ?? 'full',
    status: row.status as ReconcileReport['status'],
    checked: row.checked as Record<string, number>,
    drifted: row.drifted as Record<string, number>,
    fixed: row.fixed as Record<string, number>,
    alerts: row.alerts as ReconcileReport['alerts'],
    error: (row.error as string | null) ?? null,
    startedAt: new Date(row.started_at as string),
    finishedAt: row.finished_at ? new Date(row.finished_at as string) : null,
  };
}
