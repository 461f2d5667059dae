import { Injectable, OnModuleInit } from '@nestjs/common';
import { SyncJobOutcome, SyncObserver, SyncObservers } from '@ttfd/sync';
import { AppMetrics } from './app.metrics';

/**
 * The sync engine's observer: counters that move as this process writes and finishes outbox
 * rows, and job durations. The per-status totals are also read from Postgres at scrape time
 * (`ttfd_sync_events`), which holds across processes and restarts.
 */
@Injectable()
export class SyncMetrics implements SyncObserver, OnModuleInit {
  constructor(
    private readonly metrics: AppMetrics,
    private readonly observers: SyncObservers,
  ) {}

  onModuleInit(): void {
    this.observers.register(this);
  }

  eventsCreated(types: string[]): void {
    for (const type of types) this.metrics.syncEventsCreated.inc({ type });
  }

  eventsCompleted(types: string[]): void {
    for (const type of types) this.metrics.syncEventsCompleted.inc({ type });
  }

  eventsFailed(types: string[]): void {
    for (const type of types) this.metrics.syncEventsFailed.inc({ type });
  }

  jobFinished(queue: string, name: string, seconds: number, outcome: SyncJobOutcome): void {
    this.metrics.syncJobDuration.observe({ queue, name, outcome }, seconds);
  }
}
