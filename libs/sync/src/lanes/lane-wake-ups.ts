import { Injectable } from '@nestjs/common';
import { LANE_WAKE_UP_DEDUP_TTL_MS, laneRetryJobId, laneWakeUpId } from '../queues/sync-jobs';
import { SyncQueues } from '../queues/sync-queues';
import { SyncLane } from './sync-lanes';

/**
 * Wakes a lane's claimers through BullMQ. A wake-up carries only the lane: the rows are in
 * Postgres, so a lost wake-up (a flushed Redis, Redis down at commit) only waits for the sweep.
 *
 * Live wake-ups share the dedup id `wake-{lane}`, so a burst of commits makes one job. The
 * claimer drops that key as soon as it starts (`claiming`): a row committed after that gets a
 * job of its own instead of being deduplicated against one whose claims may already have come
 * back short. A row committed before it was deduplicated against this very job, whose claims
 * start after the drop and so see it.
 *
 * The key also expires (LANE_WAKE_UP_DEDUP_TTL_MS): a worker killed after BullMQ gave it the job
 * and before it dropped the key would otherwise deduplicate every wake-up of the lane, the
 * sweep's too, until BullMQ finds the job stalled (30-60 s).
 */
@Injectable()
export class LaneWakeUps {
  constructor(private readonly queues: SyncQueues) {}

  /** Rejects when Redis does not take it (callers count and log; the sweep catches up). */
  wake(lane: SyncLane): Promise<void> {
    return this.queues.add('sync.lane', { lane }, null, {
      deduplication: { id: laneWakeUpId(lane), ttlMs: LANE_WAKE_UP_DEDUP_TTL_MS },
    });
  }

  /** A wake-up after `delayMs` (a retry's due time); never deduplicated with live ones. */
  wakeLater(lane: SyncLane, delayMs: number): Promise<void> {
    return this.queues.add('sync.lane', { lane }, laneRetryJobId(lane), {
      delay: Math.max(0, Math.ceil(delayMs)),
    });
  }

  /** Called by a claimer before its first claim: later commits wake the lane again. */
  async claiming(lane: SyncLane): Promise<void> {
    await this.queues.queue('sync').removeDeduplicationKey(laneWakeUpId(lane));
  }
}
