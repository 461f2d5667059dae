import { SyncLane } from '../lanes/sync-lanes';

/**
 * Wakes the lanes of committed outbox rows (BullMQ `sync.lane` wake-ups) right after commit.
 * Must return at once and never throw: a dead Redis must not block or fail an award. A lane
 * whose wake-up does not make it is woken by the sweep from Postgres, the source of truth.
 */
export abstract class OutboxDispatcher {
  /** `eventIds` for observers and tests; the transport needs only their lanes. */
  abstract dispatch(eventIds: string[], lanes: SyncLane[]): void;
}
