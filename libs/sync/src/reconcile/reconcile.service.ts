import { Injectable } from '@nestjs/common';
import { Clock } from '@ttfd/clock';
import { manualReconcileJobId, reconcileJobId } from '../queues/sync-jobs';
import { SyncQueues } from '../queues/sync-queues';
import type { ReconcileMode } from './reconcile.job';
import { ReconcileReport, ReconcileReportsRepository } from './reconcile-reports.repository';

/** Starting reconcile runs and reading their reports (any role: the API calls this). */
@Injectable()
export class ReconcileService {
  constructor(
    private readonly queues: SyncQueues,
    private readonly reportRows: ReconcileReportsRepository,
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
    return this.reportRows.latest(limit);
  }

  async report(jobId: string): Promise<ReconcileReport | null> {
    return this.reportRows.byJobId(jobId);
  }
}
