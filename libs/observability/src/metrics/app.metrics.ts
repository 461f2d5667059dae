import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { MetricsRegistry } from './metrics.registry';

/**
 * Every series of the app, declared in one place so names and labels stay consistent.
 * Label values are bounded: route templates (never raw URLs), event types, queue names.
 */
@Injectable()
export class AppMetrics {
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly graphqlDuration: Histogram<'operation' | 'name' | 'outcome'>;
  readonly syncEvents: Gauge<'type' | 'status'>;
  readonly syncOldestPendingSeconds: Gauge;
  readonly syncEventsCreated: Counter<'type'>;
  readonly syncEventsCompleted: Counter<'type'>;
  readonly syncEventsFailed: Counter<'type'>;
  readonly syncJobDuration: Histogram<'queue' | 'name' | 'outcome'>;
  readonly queueJobs: Gauge<'queue' | 'state'>;
  readonly reconcileDriftFound: Gauge<'kind'>;
  readonly reconcileDriftFixed: Gauge<'kind'>;
  readonly reconcileLastFinished: Gauge;
  readonly seasonOverdueSeconds: Gauge;
  readonly linkAttempts: Gauge<'outcome'>;
  readonly platformApiCalls: Counter<'platform' | 'route' | 'outcome'>;
  readonly unhandledRejections: Counter;
  readonly alertsSent: Counter<'kind' | 'channel'>;

  constructor(metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    this.httpDuration = new Histogram({
      name: 'ttfd_http_request_duration_seconds',
      help: 'HTTP request latency by route template, method and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.graphqlDuration = new Histogram({
      name: 'ttfd_graphql_operation_duration_seconds',
      help: 'GraphQL operation latency by operation type, name and outcome',
      labelNames: ['operation', 'name', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.syncEvents = new Gauge({
      name: 'ttfd_sync_events',
      help: 'Outbox rows by type and status (read from sync_events at scrape time)',
      labelNames: ['type', 'status'],
      registers,
    });
    this.syncOldestPendingSeconds = new Gauge({
      name: 'ttfd_sync_oldest_pending_age_seconds',
      help: 'Age of the oldest pending or processing outbox row (0 when none): the sync lag',
      registers,
    });
    this.syncEventsCreated = new Counter({
      name: 'ttfd_sync_events_created_total',
      help: 'Outbox rows written by this process, by type',
      labelNames: ['type'],
      registers,
    });
    this.syncEventsCompleted = new Counter({
      name: 'ttfd_sync_events_completed_total',
      help: 'Outbox rows completed by this process, by type',
      labelNames: ['type'],
      registers,
    });
    this.syncEventsFailed = new Counter({
      name: 'ttfd_sync_events_failed_total',
      help: 'Outbox rows that reached failed in this process, by type',
      labelNames: ['type'],
      registers,
    });
    this.syncJobDuration = new Histogram({
      name: 'ttfd_job_duration_seconds',
      help: 'BullMQ job processing time by queue, job name and outcome',
      labelNames: ['queue', 'name', 'outcome'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.queueJobs = new Gauge({
      name: 'ttfd_queue_jobs',
      help: 'BullMQ jobs per queue and state (getJobCounts at scrape time)',
      labelNames: ['queue', 'state'],
      registers,
    });
    this.reconcileDriftFound = new Gauge({
      name: 'ttfd_reconcile_drift_found',
      help: 'Drift found by the latest finished reconcile run, by kind',
      labelNames: ['kind'],
      registers,
    });
    this.reconcileDriftFixed = new Gauge({
      name: 'ttfd_reconcile_drift_fixed',
      help: 'Drift fixed by the latest finished reconcile run, by kind',
      labelNames: ['kind'],
      registers,
    });
    this.reconcileLastFinished = new Gauge({
      name: 'ttfd_reconcile_last_finished_timestamp_seconds',
      help: 'When the latest reconcile run finished (0 when none has)',
      registers,
    });
    this.seasonOverdueSeconds = new Gauge({
      name: 'ttfd_season_overdue_seconds',
      help: 'How long the open season has been past its end (0 when it has not ended): a roll-over that keeps failing',
      registers,
    });
    this.linkAttempts = new Gauge({
      name: 'ttfd_link_attempts_last_hour',
      help: 'Link code redemptions in the last hour, by outcome (from link_attempts)',
      labelNames: ['outcome'],
      registers,
    });
    this.platformApiCalls = new Counter({
      name: 'ttfd_platform_api_calls_total',
      help: 'Calls to the Telegram and Discord APIs by route template or Bot API method and outcome (ok, rate_limited = 429, error, timeout)',
      labelNames: ['platform', 'route', 'outcome'],
      registers,
    });
    this.unhandledRejections = new Counter({
      name: 'ttfd_unhandled_rejections_total',
      help: 'Promise rejections nothing handled (logged at error; the process keeps running)',
      registers,
    });
    this.alertsSent = new Counter({
      name: 'ttfd_alerts_sent_total',
      help: 'Alerts delivered, by kind and channel',
      labelNames: ['kind', 'channel'],
      registers,
    });
  }
}
