import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '@ttfd/clock';
import { readSyncEventCounts } from '@ttfd/sync';
import { AppMetrics } from './app.metrics';
import { MetricsRegistry } from './metrics.registry';
import { QueueInspector } from './queue-inspector';

/**
 * Scrape-time gauges from Postgres (the source of truth) and the queues. No scrape scans a
 * history table: event counts come from the `sync_event_counts` read model (kept by triggers in
 * the writer's transaction), the rest from indexed ranges (the oldest open event, the last hour
 * of link attempts, the latest report), so a scrape costs the same after a year as on day one.
 */
@Injectable()
export class DatabaseCollector implements OnModuleInit {
  constructor(
    private readonly registry: MetricsRegistry,
    private readonly metrics: AppMetrics,
    private readonly queues: QueueInspector,
    private readonly clock: Clock,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.registry.onScrape('sync_events', () => this.syncEvents());
    this.registry.onScrape('queues', () => this.queueDepth());
    this.registry.onScrape('reconcile', () => this.reconcile());
    this.registry.onScrape('link_attempts', () => this.linkAttempts());
    this.registry.onScrape('seasons', () => this.seasons());
  }

  private async syncEvents(): Promise<void> {
    const rows = await readSyncEventCounts(this.dataSource.manager);
    // Reset first: a (type, status) pair that emptied must read 0, not its last value.
    this.metrics.syncEvents.reset();
    for (const row of rows) {
      this.metrics.syncEvents.set({ type: row.type, status: row.status }, row.count);
    }
    const [oldest]: { created_at: Date | null }[] = await this.dataSource.query(
      `SELECT min(created_at) AS created_at FROM sync_events WHERE status IN ('pending', 'processing')`,
    );
    const age = oldest?.created_at
      ? Math.max(0, (this.clock.nowMs() - new Date(oldest.created_at).getTime()) / 1000)
      : 0;
    this.metrics.syncOldestPendingSeconds.set(age);
  }

  private async queueDepth(): Promise<void> {
    const counts = await this.queues.counts();
    for (const [queue, states] of Object.entries(counts)) {
      for (const [state, count] of Object.entries(states)) {
        this.metrics.queueJobs.set({ queue, state }, count);
      }
    }
  }

  private async reconcile(): Promise<void> {
    const [report]: {
      drifted: Record<string, unknown>;
      fixed: Record<string, unknown>;
      finished_at: Date | null;
    }[] = await this.dataSource.query(
      `SELECT drifted, fixed, finished_at FROM reconcile_reports
        WHERE status = 'completed' ORDER BY started_at DESC, id DESC LIMIT 1`,
    );
    this.metrics.reconcileDriftFound.reset();
    this.metrics.reconcileDriftFixed.reset();
    if (!report) {
      this.metrics.reconcileLastFinished.set(0);
      return;
    }
    for (const [kind, value] of Object.entries(report.drifted ?? {})) {
      if (typeof value === 'number') this.metrics.reconcileDriftFound.set({ kind }, value);
    }
    for (const [kind, value] of Object.entries(report.fixed ?? {})) {
      if (typeof value === 'number') this.metrics.reconcileDriftFixed.set({ kind }, value);
    }
    this.metrics.reconcileLastFinished.set(
      report.finished_at ? new Date(report.finished_at).getTime() / 1000 : 0,
    );
  }

  private async linkAttempts(): Promise<void> {
    const since = new Date(this.clock.nowMs() - 3_600_000);
    const rows: { succeeded: boolean; count: string }[] = await this.dataSource.query(
      `SELECT succeeded, count(*) AS count FROM link_attempts
        WHERE attempted_at >= $1 GROUP BY succeeded`,
      [since],
    );
    this.metrics.linkAttempts.set({ outcome: 'succeeded' }, 0);
    this.metrics.linkAttempts.set({ outcome: 'refused' }, 0);
    for (const row of rows) {
      this.metrics.linkAttempts.set(
        { outcome: row.succeeded ? 'succeeded' : 'refused' },
        Number(row.count),
      );
    }
  }

  private async seasons(): Promise<void> {
    const [open]: { ends_at: Date }[] = await this.dataSource.query(
      `SELECT ends_at FROM seasons WHERE status = 'open'`,
    );
    const overdue = open ? (this.clock.nowMs() - new Date(open.ends_at).getTime()) / 1000 : 0;
    this.metrics.seasonOverdueSeconds.set(Math.max(0, overdue));
  }
}
