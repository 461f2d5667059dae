import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@ttfd/config';
import { LaneClaimers } from '../lanes/lane-claimers';
import { LaneWakeUps } from '../lanes/lane-wake-ups';
import { SyncLane } from '../lanes/sync-lanes';
import { OutboxDispatcher } from './outbox.dispatcher';

const LOG_EVERY_MS = 30_000;

/**
 * Wakes the lanes of committed outbox rows, fire-and-forget: returns at once, never throws.
 * Commits within SYNC_DISPATCH_LINGER_MS of the first, or while the previous wake-up is on its
 * way to Redis, share one wake-up per lane (and BullMQ deduplicates against a waiting one), so
 * Redis sees about one call per lane per linger, not one per award; none while every claim
 * loop of the lane this process may run is running (LaneClaimers.nudge marks it instead). A failed wake-up is counted
 * and logged at most every 30 s; the sweep wakes the lane from Postgres a moment later.
 */
@Injectable()
export class BullOutboxDispatcher extends OutboxDispatcher {
  private readonly logger = new Logger('OutboxDispatcher');
  private failures = 0;
  private failuresSinceLog = 0;
  private lastLogAt = 0;
  private readonly lanes = new Set<SyncLane>();
  private flushScheduled = false;
  private inFlight = false;

  constructor(
    private readonly wakeUps: LaneWakeUps,
    private readonly claimers: LaneClaimers,
    private readonly config: AppConfig,
  ) {
    super();
  }

  /** Wake-ups that failed since start (for metrics). */
  get failureCount(): number {
    return this.failures;
  }

  dispatch(_eventIds: string[], lanes: SyncLane[]): void {
    for (const lane of lanes) this.lanes.add(lane);
    if (this.flushScheduled || this.inFlight) return;
    this.flushScheduled = true;
    const linger = this.config.env.SYNC_DISPATCH_LINGER_MS;
    if (linger > 0) setTimeout(() => this.flush(), linger);
    else setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    // A lane whose claim loops in this process all run is only marked: no Redis call.
    const lanes = [...this.lanes].filter((lane) => !this.claimers.nudge(lane));
    this.lanes.clear();
    if (lanes.length === 0) return;
    this.inFlight = true;
    void Promise.all(
      lanes.map((lane) =>
        this.wakeUps.wake(lane).catch((error: Error) => this.onFailure(lane, error)),
      ),
    ).then(() => {
      this.inFlight = false;
      if (this.lanes.size > 0) this.flush();
    });
  }

  private onFailure(lane: SyncLane, error: Error): void {
    this.failures += 1;
    this.failuresSinceLog += 1;
    const now = Date.now(); // log throttling only, not domain time
    if (now - this.lastLogAt < LOG_EVERY_MS) return;
    this.lastLogAt = now;
    this.logger.warn(
      `${this.failuresSinceLog} lane wake-up(s) not sent (last: ${lane}, ${error.message}); the sweep will wake them`,
    );
    this.failuresSinceLog = 0;
  }
}
