import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@ttfd/clock';
import { manualReconcileJobId, reconcileJobId } from '../queues/sync-jobs';
import { SyncQueues } from '../queues/sync-queues';
import type { ReconcileMode } from './reconcile.job';

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

/** Starting reconcile runs and reading their reports (any role: the API calls this). */
@Injectable()
export class ReconcileService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queues: SyncQueues,
    private readonly clock: Clock,
  ) {}

  /**
   * Enqueues a run now (full unless told otherwise: an operator asking wants everything
   * checked); returns its job id (its report carries the same id).
   */
  async runNow(mode: ReconcileMode = 'full'): Promise<string> {
    const jobId = manualReconcileJobId(this.clock.now());
    await this.queues.add('reconcile.run', { trigger: 'manual', mode }, jobId);
    return jobId;
  }

  /** The scheduled run of a time slot: two schedulers enqueue the same id, BullMQ keeps one. */
  async enqueueScheduled(slot: Date = this.clock.now()): Promise<string> {
    const jobId = reconcileJobId(slot);
    await this.queues.add('reconcile.run', { trigger: 'schedule' }, jobId);
    return jobId;
  }

  async reports(limit = 20): Promise<ReconcileReport[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT * FROM reconcile_reports ORDER BY started_at DESC, id DESC LIMIT $1`,
      [limit],
    );
    return rows.map(toReport);
  }

  async report(jobId: string): Promise<ReconcileReport | null> {
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
