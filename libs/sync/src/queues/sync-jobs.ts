import { randomBytes } from 'node:crypto';
import { JobsOptions } from 'bullmq';
import type { CleanupJobData } from '../cleanup/cleanup.job';
import type { ReconcileJobData } from '../reconcile/reconcile.job';
import type { SyncEventsJobData } from '../processing/sync-events.job';

/**
 * Every queue, job name, job id and job option of the sync engine, in one place.
 *
 * Job ids are strings (BullMQ refuses integers) and BullMQ silently ignores an id it still
 * holds, so: a first enqueue uses the event's own id (`evt-{id}`, `evts-{first}-{last}-{n}`)
 * and dedupes a double dispatch; a retry, a relay pass or an admin retry adds a random suffix,
 * because the outbox row, not the job id, decides whether work is done. Cron work uses a
 * time-slot id (`reconcile-YYYYMMDDHHmm`) so two schedulers enqueue it once.
 */
export const QUEUE_NAMES = ['sync', 'reconcile', 'cleanup'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export const JOB_NAMES = ['sync.events', 'reconcile.run', 'cleanup.run'] as const;
export type JobName = (typeof JOB_NAMES)[number];

export interface JobDataMap {
  'sync.events': SyncEventsJobData;
  'reconcile.run': ReconcileJobData;
  'cleanup.run': CleanupJobData;
}

export const JOB_QUEUE: Record<JobName, QueueName> = {
  'sync.events': 'sync',
  'reconcile.run': 'reconcile',
  'cleanup.run': 'cleanup',
};

const DAY_S = 24 * 3600;

export const JOB_OPTIONS: Record<JobName, JobsOptions> = {
  // The row has its own retry schedule (attempts, next_attempt_at); BullMQ's attempts only
  // cover a job that threw before settling its rows (e.g. Postgres unreachable).
  'sync.events': {
    attempts: 3,
    backoff: { type: 'exponential', delay: 1_000 },
    removeOnComplete: { age: 3600, count: 10_000 },
    removeOnFail: { age: 7 * DAY_S, count: 10_000 },
  },
  // Kept a day after completion: the time-slot id must stay known to dedupe a second scheduler.
  'reconcile.run': {
    attempts: 2,
    backoff: { type: 'fixed', delay: 60_000 },
    removeOnComplete: { age: DAY_S, count: 1_000 },
    removeOnFail: { age: 14 * DAY_S, count: 1_000 },
  },
  'cleanup.run': {
    attempts: 3,
    backoff: { type: 'exponential', delay: 60_000 },
    removeOnComplete: { age: 2 * DAY_S, count: 100 },
    removeOnFail: { age: 14 * DAY_S, count: 100 },
  },
};

/** `evt-{id}` for one event, `evts-{first}-{last}-{n}` for a batch; `fresh` adds a suffix. */
export function syncJobId(eventIds: string[], fresh?: string): string {
  const base =
    eventIds.length === 1
      ? `evt-${eventIds[0]}`
      : `evts-${eventIds[0]}-${eventIds[eventIds.length - 1]}-${eventIds.length}`;
  return fresh ? `${base}-${fresh}-${randomBytes(4).toString('hex')}` : base;
}

/** `reconcile-YYYYMMDDHHmm` (UTC minute of the slot). */
export function reconcileJobId(slot: Date): string {
  return `reconcile-${slot.toISOString().slice(0, 16).replace(/[-:T]/g, '')}`;
}

export function manualReconcileJobId(now: Date): string {
  return `${reconcileJobId(now)}-manual-${randomBytes(4).toString('hex')}`;
}

/** `cleanup-YYYYMMDD` (UTC day). */
export function cleanupJobId(day: Date): string {
  return `cleanup-${day.toISOString().slice(0, 10).replace(/-/g, '')}`;
}

/** Splits ids into jobs of at most `size` ids. */
export function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
