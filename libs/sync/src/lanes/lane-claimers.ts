import { Injectable } from '@nestjs/common';
import { AppConfig } from '@ttfd/config';
import { SyncLane, yieldsToLiveRoles } from './sync-lanes';

/**
 * Claim loops per process of the lanes that yield to live role changes (`yieldsToLiveRoles`; at
 * most SYNC_LANE_CLAIMERS). Fewer loops claim bigger batches, so these lanes spend fewer
 * statements (and less of the machine) per row; a batch's messages are sent concurrently, so
 * two loops do not serialize them.
 */
const YIELDING_LANE_LOOPS = 2;

/**
 * How many claim loops of each lane run at once in this process, and which of them are about
 * to claim. A loop is *ready* from the moment it knows it will claim until it issues the claim
 * statement (`claimStarts`); a row committed while a loop of its lane is ready is seen by that
 * claim (Postgres' read committed: the statement starts after the commit), so the commit wakes
 * nothing and a wake-up through Redis starts no second loop. Only a commit that no ready loop
 * covers wakes a loop lingering on the drained lane (`waitForMore`), or else marks the lane
 * `again`: the next loop to find its lane drained claims once more before it stops, so a row
 * committed while every loop was busy is still claimed without waiting for the sweep. One commit
 * wakes at most one loop, and a burst of commits wakes one loop until it claims: no loop is woken
 * to claim rows another one is already going to claim.
 *
 * A commit in a process where a loop of its lane is ready or lingers, or all of them run,
 * crosses no Redis (`nudge`): under load, and in a burst, Redis sees no wake-ups from this process.
 *
 * On Postgres the limit is SYNC_LANE_CLAIMERS (claims skip each other's rows; fewer loops
 * claim bigger batches, so fewer statements per row), and YIELDING_LANE_LOOPS for the lanes
 * that yield to live role changes; on the embedded PGlite (one connection, DATABASE_URL unset)
 * it is one claimer per lane.
 */
@Injectable()
export class LaneClaimers {
  private readonly running = new Map<SyncLane, number>();
  /** Loops that will claim and have not issued the claim yet. */
  private readonly ready = new Map<SyncLane, number>();
  private readonly again = new Set<SyncLane>();
  /** Loops that found their lane drained and wait a moment for more (see `waitForMore`). */
  private readonly lingering = new Map<SyncLane, (() => void)[]>();
  private readonly limit: number;

  constructor(config: AppConfig) {
    this.limit = config.database.url ? config.env.SYNC_LANE_CLAIMERS : 1;
  }

  private limitOf(lane: SyncLane): number {
    return yieldsToLiveRoles(lane) ? Math.min(this.limit, YIELDING_LANE_LOOPS) : this.limit;
  }

  /**
   * For a wake-up: true, the caller runs a claim loop (ready to claim) and must `leave`. False:
   * a ready loop's claim will see what woke it, or every loop runs and one will claim again.
   */
  enter(lane: SyncLane): boolean {
    if (this.isReady(lane)) return false;
    const running = this.running.get(lane) ?? 0;
    if (running >= this.limitOf(lane)) {
      this.claimAgain(lane);
      return false;
    }
    this.running.set(lane, running + 1);
    this.markReady(lane);
    return true;
  }

  leave(lane: SyncLane): void {
    this.running.set(lane, Math.max(0, (this.running.get(lane) ?? 1) - 1));
  }

  /** Called right before a loop issues its claim: a commit from now on may need another. */
  claimStarts(lane: SyncLane): void {
    const ready = this.ready.get(lane) ?? 0;
    if (ready > 0) this.ready.set(lane, ready - 1);
  }

  /** A loop claims again at once (its batch was full, or the settle saw more due). */
  claimsOn(lane: SyncLane): void {
    this.markReady(lane);
  }

  /**
   * For a commit in this process: true when no wake-up through Redis is needed, because a
   * ready loop will see the row, a lingering loop is woken, or every claim loop of the lane this
   * process may run is running (the lane is marked `again`). False: a wake-up may start a loop
   * (a running one may be waiting on Discord).
   */
  nudge(lane: SyncLane): boolean {
    if (this.isReady(lane)) return true;
    if (this.lingering.get(lane)?.length) {
      this.claimAgain(lane);
      return true;
    }
    if ((this.running.get(lane) ?? 0) < this.limitOf(lane)) return false;
    this.again.add(lane);
    return true;
  }

  /**
   * For a loop that found its lane drained: true (ready to claim again) when a wake-up came
   * while the loops were busy, or when a commit in this process or a wake-up comes within `ms`;
   * false: the loop stops. A process that commits and claims (the default single process, a
   * worker's own awards) then claims a burst's next rows at once, without a wake-up through
   * Redis; a quiet lane costs each loop `ms` of waiting once.
   */
  async waitForMore(lane: SyncLane, ms: number): Promise<boolean> {
    if (this.takeAgain(lane)) return true;
    if (await this.linger(lane, ms)) return true;
    // A wake-up that came as the wait ended (nothing else runs between the two).
    return this.takeAgain(lane);
  }

  private takeAgain(lane: SyncLane): boolean {
    if (!this.again.delete(lane)) return false;
    this.markReady(lane);
    return true;
  }

  private linger(lane: SyncLane, ms: number): Promise<boolean> {
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

  /**
   * A lingering loop claims again (ready from now), else the next loop to find the lane drained
   * does.
   */
  private claimAgain(lane: SyncLane): void {
    const waiter = this.lingering.get(lane)?.shift();
    if (!waiter) {
      this.again.add(lane);
      return;
    }
    this.markReady(lane);
    waiter();
  }

  private isReady(lane: SyncLane): boolean {
    return (this.ready.get(lane) ?? 0) > 0;
  }

  private markReady(lane: SyncLane): void {
    this.ready.set(lane, (this.ready.get(lane) ?? 0) + 1);
  }
}
