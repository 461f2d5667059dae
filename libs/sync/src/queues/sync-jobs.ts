import { randomBytes } from 'node:crypto';
import { JobsOptions } from 'bullmq';
import type { CleanupJobData } from '../cleanup/cleanup.job';
import type { ReconcileJobData } from '../reconcile/reconcile.job';
import type { SyncLaneJobData } from '../processing/sync-lane.job';

/**
 * Every queue, job name, job id and job option of the sync engine, in one place.
 *
 * A `sync.lane` job is a wake-up of one outbox lane: it carries no event ids, the worker claims
 * the lane's due rows from Postgres. Wake-ups are deduplicated by `wake-{lane}` (BullMQ's
 * deduplication id, not the job id, so the worker can drop the key the moment it starts
 * claiming); a delayed wake-up for a retry has a job id of its own (`retry-{lane}-{random}`),
 * never the dedup id, or live rows would wait behind its delay. Job ids are strings (BullMQ
 * refuses integers). Cron work uses a time-slot id (`reconcile-YYYYMMDDHHmm`) so two
 * schedulers enqueue it once.
 */
export const QUEUE_NAMES = ['sync', 'reconcile', 'cleanup'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export const JOB_NAMES = ['sync.lane', 'reconcile.run', 'cleanup.run'] as const;
export type JobName = (typeof JOB_NAMES)[number];

export interface JobDataMap {
  'sync.lane': SyncLaneJobData;
  'reconcile.run': ReconcileJobData;
  'cleanup.run': CleanupJobData;
}

export const JOB_QUEUE: Record<JobName, QueueName> = {
  'sync.lane': 'sync',
  'reconcile.run': 'reconcile',
  'cleanup.run': 'cleanup',
};

const DAY_S = 24 * 3600;

export const JOB_OPTIONS: Record<JobName, JobsOptions> = {
  // The row has its own retry schedule (attempts, next_attempt_at); BullMQ's attempts only
  // cover a wake-up that threw (e.g. Postgres unreachable); the sweep covers the rest.
  'sync.lane': {
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

/**
 * How long a live wake-up's deduplication key lasts at most. Its job normally drops the key the
 * moment it starts (LaneWakeUps.claiming); the key outlives that only when the job waits longer
 * (then one more wake-up per this long joins the queue: a claim loop that finds its lane taken
 * costs nothing) or when the worker that took it died before it started (then the lane's next
 * wake-up, the sweep's at the latest, gets a job of its own after this long, instead of when
 * BullMQ finds the dead worker's job stalled, 30-60 s later).
 */
export const LANE_WAKE_UP_DEDUP_TTL_MS = 2_000;

/** The deduplication id of a lane's live wake-ups: at most one waits per lane. */
export function laneWakeUpId(lane: string): string {
  return `wake-${lane}`;
}

/** The job id of a delayed wake-up (a retry's): unique, never deduplicated. */
export function laneRetryJobId(lane: string): string {
  return `retry-${lane}-${randomBytes(6).toString('hex')}`;
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

/** Splits items into chunks of at most `size`. */
export function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}
