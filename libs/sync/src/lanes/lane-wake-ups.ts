import { Injectable } from '@nestjs/common';
import { laneRetryJobId, laneWakeUpId } from '../queues/sync-jobs';
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
 */
@Injectable()
export class LaneWakeUps {
  constructor(private readonly queues: SyncQueues) {}

  /** Rejects when Redis does not take it (callers count and log; the sweep catches up). */
  wake(lane: SyncLane): Promise<void> {
    return this.queues.add('sync.lane', { lane }, null, { deduplicationId: laneWakeUpId(lane) });
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
