import { Injectable } from '@nestjs/common';
import { AppMetrics } from './app.metrics';

export type JobOutcome = 'completed' | 'failed';

/**
 * Hooks for the sync engine: counters that move as this process writes and finishes outbox
 * rows, and job durations. The per-status totals are also read from Postgres at scrape time
 * (`ttfd_sync_events`), so the dashboards hold even while these hooks are not wired.
 */
@Injectable()
export class SyncMetrics {
  constructor(private readonly metrics: AppMetrics) {}

  eventsCreated(type: string, count = 1): void {
    this.metrics.syncEventsCreated.inc({ type }, count);
  }

  eventCompleted(type: string): void {
    this.metrics.syncEventsCompleted.inc({ type });
  }

  eventFailed(type: string): void {
    this.metrics.syncEventsFailed.inc({ type });
  }

  jobFinished(queue: string, name: string, seconds: number, outcome: JobOutcome): void {
    this.metrics.syncJobDuration.observe({ queue, name, outcome }, seconds);
  }
}
