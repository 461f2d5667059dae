import { Injectable } from '@nestjs/common';
import { AppConfig } from '@ttfd/config';
import { SyncLane } from './sync-lanes';

/**
 * How many claim loops of each lane run at once in this process, and the wake-ups that came
 * while all of them were busy. A wake-up beyond the limit only marks its lane `again`: the
 * next loop to find its lane drained claims once more before it stops, so a row committed
 * while every loop was busy is still claimed without waiting for the sweep.
 *
 * A commit in a process whose loops of its lane are all running only marks the lane (`nudge`):
 * under that load Redis sees no wake-ups from this process.
 *
 * On Postgres the limit is SYNC_WORKER_CONCURRENCY (claims skip each other's rows); on the
 * embedded PGlite (one connection, DATABASE_URL unset) it is one claimer per lane.
 */
@Injectable()
export class LaneClaimers {
  private readonly running = new Map<SyncLane, number>();
  private readonly again = new Set<SyncLane>();
  private readonly limit: number;

  constructor(config: AppConfig) {
    this.limit = config.database.url ? config.env.SYNC_WORKER_CONCURRENCY : 1;
  }

  /** True: the caller runs a claim loop and must `leave`. False: a running loop will claim. */
  enter(lane: SyncLane): boolean {
    const running = this.running.get(lane) ?? 0;
    if (running >= this.limit) {
      this.again.add(lane);
      return false;
    }
    this.running.set(lane, running + 1);
    return true;
  }

  leave(lane: SyncLane): void {
    this.running.set(lane, Math.max(0, (this.running.get(lane) ?? 1) - 1));
  }

  /**
   * For a commit in this process: when every claim loop of the lane this process may run is
   * running, a wake-up would only mark the lane `again`; this marks it without crossing Redis
   * (true). False: a wake-up may start a loop (a running one may be waiting on Discord).
   */
  nudge(lane: SyncLane): boolean {
    if ((this.running.get(lane) ?? 0) < this.limit) return false;
    this.again.add(lane);
    return true;
  }

  /** Whether a wake-up came while the loops were busy (and clears it). */
  takeAgain(lane: SyncLane): boolean {
    return this.again.delete(lane);
  }
}
