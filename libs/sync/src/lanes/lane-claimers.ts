import { Injectable } from '@nestjs/common';
import { AppConfig } from '@ttfd/config';
import { SyncLane } from './sync-lanes';

/** Claim loops of the mass-change lane per process (at most SYNC_LANE_CLAIMERS). */
const BULK_LANE_LOOPS = 2;

/**
 * How many claim loops of each lane run at once in this process, and the wake-ups that came
 * while all of them were busy. A wake-up beyond the limit wakes a loop that lingers on the
 * drained lane (`linger`), else marks the lane `again`: the next loop to find its lane drained
 * claims once more before it stops, so a row committed while every loop was busy is still
 * claimed without waiting for the sweep.
 *
 * A commit in a process where a loop of its lane lingers, or all of them run, crosses no Redis
 * (`nudge`): under load, and in a burst, Redis sees no wake-ups from this process.
 *
 * On Postgres the limit is SYNC_LANE_CLAIMERS (claims skip each other's rows; fewer loops
 * claim bigger batches, so fewer statements per row), and 2 for
 * the mass-change lane `roles-bulk`; on the embedded PGlite (one connection, DATABASE_URL
 * unset) it is one claimer per lane.
 */
@Injectable()
export class LaneClaimers {
  private readonly running = new Map<SyncLane, number>();
  private readonly again = new Set<SyncLane>();
  /** Loops that found their lane drained and wait a moment for more (see `linger`). */
  private readonly lingering = new Map<SyncLane, (() => void)[]>();
  private readonly limit: number;

  constructor(config: AppConfig) {
    this.limit = config.database.url ? config.env.SYNC_LANE_CLAIMERS : 1;
  }

  /** Mass changes are the low-priority lane: fewer loops, so live lanes keep the pool. */
  private limitOf(lane: SyncLane): number {
    return lane === 'roles-bulk' ? Math.min(this.limit, BULK_LANE_LOOPS) : this.limit;
  }

  /** True: the caller runs a claim loop and must `leave`. False: a running loop will claim. */
  enter(lane: SyncLane): boolean {
    const running = this.running.get(lane) ?? 0;
    if (running >= this.limitOf(lane)) {
      this.claimAgain(lane);
      return false;
    }
    this.running.set(lane, running + 1);
    return true;
  }

  leave(lane: SyncLane): void {
    this.running.set(lane, Math.max(0, (this.running.get(lane) ?? 1) - 1));
  }

  /**
   * For a commit in this process: wakes a loop lingering on the lane, or, when every claim loop
   * of the lane this process may run is running, marks the lane `again`, without crossing
   * Redis (true). False: a wake-up may start a loop (a running one may be waiting on Discord).
   */
  nudge(lane: SyncLane): boolean {
    if (this.lingering.get(lane)?.length) {
      this.claimAgain(lane);
      return true;
    }
    if ((this.running.get(lane) ?? 0) < this.limitOf(lane)) return false;
    this.again.add(lane);
    return true;
  }

  /** Whether a wake-up came while the loops were busy (and clears it). */
  takeAgain(lane: SyncLane): boolean {
    return this.again.delete(lane);
  }

  /**
   * For a loop that found its lane drained: waits up to `ms` for a commit in this process or a
   * wake-up (true: claim again) before it stops (false). A process that commits and claims
   * (the default single process, a worker's own awards) then claims a burst's next rows at
   * once, without a wake-up through Redis; a quiet lane costs each loop `ms` of waiting once.
   */
  linger(lane: SyncLane, ms: number): Promise<boolean> {
    if (ms <= 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiters = this.lingering.get(lane) ?? [];
      this.lingering.set(lane, waiters);
      const wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(wake), 1);
        resolve(false);
      }, ms);
      waiters.push(wake);
    });
  }

  /** A lingering loop claims again, else the next loop to find the lane drained does. */
  private claimAgain(lane: SyncLane): void {
    const waiter = this.lingering.get(lane)?.shift();
    if (waiter) waiter();
    else this.again.add(lane);
  }
}
