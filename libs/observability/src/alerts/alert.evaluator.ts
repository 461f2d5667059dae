import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '@ttfd/clock';
import { AppConfig } from '@ttfd/config';
import { Alert } from './alert';
import { AlertService } from './alert.service';

/** A season still open this long after its end means the roll-over keeps failing. */
export const SEASON_OVERDUE_MS = 10 * 60_000;

/**
 * Checks the alert conditions on a schedule (ALERT_CHECK_INTERVAL_MS) in the scheduler role.
 * Ages are measured with the app's Clock; the Redis quiet period keeps several schedulers from
 * sending twice.
 */
@Injectable()
export class AlertEvaluator implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AlertEvaluator.name);
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly alerts: AlertService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.hasRole('scheduler')) return;
    this.timer = setInterval(() => void this.tick(), this.config.env.ALERT_CHECK_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** The conditions that hold now (exposed for tests and for an on-demand check). */
  async check(): Promise<Alert[]> {
    const env = this.config.env;
    const found: Alert[] = [];
    const [counts]: { failed: string; oldest: Date | null }[] = await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE status = 'failed') AS failed,
              min(created_at) FILTER (WHERE status IN ('pending', 'processing')) AS oldest
         FROM sync_events WHERE status IN ('failed', 'pending', 'processing')`,
    );
    const failed = Number(counts?.failed ?? 0);
    if (failed >= env.ALERT_FAILED_EVENTS_THRESHOLD) {
      found.push({
        kind: 'failed_events',
        message: `${failed} sync events have failed (threshold ${env.ALERT_FAILED_EVENTS_THRESHOLD}); retry them from the admin API once the cause is fixed`,
      });
    }
    if (counts?.oldest) {
      const ageMs = this.clock.nowMs() - new Date(counts.oldest).getTime();
      if (ageMs >= env.ALERT_OLDEST_PENDING_MS) {
        found.push({
          kind: 'oldest_pending',
          message: `the oldest pending sync event is ${Math.round(ageMs / 1000)} s old (limit ${Math.round(env.ALERT_OLDEST_PENDING_MS / 1000)} s): are the workers running?`,
        });
      }
    }
    const [report]: { job_id: string; drifted: Record<string, unknown> }[] =
      await this.dataSource.query(
        `SELECT job_id, drifted FROM reconcile_reports
          WHERE status = 'completed' ORDER BY started_at DESC, id DESC LIMIT 1`,
      );
    if (report) {
      const drift = Object.values(report.drifted ?? {}).reduce<number>(
        (sum, value) => sum + (typeof value === 'number' ? value : 0),
        0,
      );
      if (drift >= env.ALERT_DRIFT_THRESHOLD) {
        found.push({
          kind: 'reconcile_drift',
          message: `reconcile ${report.job_id} found ${drift} drifted items (limit ${env.ALERT_DRIFT_THRESHOLD})`,
        });
      }
    }
    const [overdue]: { id: number; ends_at: Date }[] = await this.dataSource.query(
      `SELECT id, ends_at FROM seasons WHERE status = 'open' AND ends_at <= $1`,
      [new Date(this.clock.nowMs() - SEASON_OVERDUE_MS)],
    );
    if (overdue) {
      const minutes = Math.floor(
        (this.clock.nowMs() - new Date(overdue.ends_at).getTime()) / 60_000,
      );
      found.push({
        kind: 'season_overdue',
        message: `season ${overdue.id} is still open ${minutes} min after its end (${new Date(overdue.ends_at).toISOString()}): is the scheduler role running? Its log says why the roll-over failed`,
      });
    }
    return found;
  }

  async tick(): Promise<void> {
    if (this.running) return; // a slow database must not stack evaluations
    this.running = true;
    try {
      for (const alert of await this.check()) await this.alerts.raise(alert);
    } catch (error) {
      this.logger.warn(`Alert evaluation failed: ${(error as Error).message}`);
    } finally {
      this.running = false;
    }
  }
}
