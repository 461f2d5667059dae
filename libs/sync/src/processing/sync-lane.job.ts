import { randomBytes } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@ttfd/config';
import { withCorrelation } from '@ttfd/common';
import { LaneClaimers } from '../lanes/lane-claimers';
import { LaneWakeUps } from '../lanes/lane-wake-ups';
import { isSyncLane, leasesMembers, SyncLane } from '../lanes/sync-lanes';
import { SyncObservers } from '../ports/sync-observers';
import { JobHandler } from '../queues/job-handler';
import { backoffMs } from './backoff';
import { LeaseRenewal } from './lease-renewal';
import { NotificationEffects } from './notification-effects';
import { notificationRows } from './notification-fan-out';
import { EventOutcome, SyncEffectsService } from './sync-effects.service';
import {
  ClaimedEvent,
  EventDone,
  EventFailure,
  SyncEventRepository,
} from './sync-event.repository';

export interface SyncLaneJobData {
  lane: SyncLane;
}

/** Retries due within this of each other share one delayed wake-up. */
const RETRY_WAKE_GRANULARITY_MS = 100;

/**
 * A wake-up of one outbox lane (flow 2): claim the lane's due rows from Postgres in batches
 * (one claim statement, which also takes each member's lease), apply their effects, settle the
 * batch in one statement (which releases the leases), and claim again until a claim comes back
 * short and the settle saw nothing else due. A failed row is back to pending with its next
 * attempt time (the database's clock + backoff) and a delayed wake-up; the sweep covers that
 * wake-up getting lost.
 *
 * Role lanes converge members and write the batch's messages as `notify.dm` rows in the same
 * settle (then wake those lanes); message lanes send them. A Discord DM is retried only within
 * SYNC_DM_RETRY_WINDOW_MS of its first attempt, while Discord still deduplicates its nonce: a
 * retry that would fall later fails the row with the reason instead of risking a second message.
 */
@Injectable()
@JobHandler('sync.lane')
export class SyncLaneJob {
  private readonly logger = new Logger('SyncLaneJob');
  private readonly processTag = `${process.pid}`;

  constructor(
    private readonly events: SyncEventRepository,
    private readonly effects: SyncEffectsService,
    private readonly notifications: NotificationEffects,
    private readonly wakeUps: LaneWakeUps,
    private readonly claimers: LaneClaimers,
    private readonly config: AppConfig,
    private readonly observers: SyncObservers,
  ) {}

  async handle(data: SyncLaneJobData): Promise<{ claimed: number; failed: number }> {
    if (!isSyncLane(data.lane)) throw new Error(`unknown sync lane ${String(data.lane)}`);
    const lane = data.lane;
    // Before the first claim (see LaneWakeUps): a commit from now on wakes the lane again.
    await this.wakeUps
      .claiming(lane)
      .catch((error: Error) =>
        this.logger.warn(`wake-up key of lane ${lane} not dropped (${error.message})`),
      );
    return this.drain(lane);
  }

  /**
   * Claims the lane until a claim comes back short, nothing else is due and no commit of this
   * process came within SYNC_CLAIM_LINGER_MS (or, when this process already runs all the loops
   * it may for the lane, marks it so one claims again).
   */
  private async drain(lane: SyncLane): Promise<{ claimed: number; failed: number }> {
    if (!this.claimers.enter(lane)) return { claimed: 0, failed: 0 };
    const total = { claimed: 0, failed: 0 };
    try {
      const size = this.config.env.SYNC_JOB_BATCH_SIZE;
      for (;;) {
        const holder = `${this.processTag}:${randomBytes(8).toString('hex')}`;
        this.claimers.claimStarts(lane);
        const claimed = await this.events.claim(lane, holder, size);
        if (claimed.length > 0) {
          const { failed, moreDue } = await this.runBatch(lane, holder, claimed);
          total.claimed += claimed.length;
          total.failed += failed;
          if (claimed.length === size || moreDue) {
            this.claimers.claimsOn(lane);
            continue;
          }
        }
        if (await this.claimers.waitForMore(lane, this.config.env.SYNC_CLAIM_LINGER_MS)) continue;
        break;
      }
    } finally {
      this.claimers.leave(lane);
    }
    return total;
  }

  private async runBatch(
    lane: SyncLane,
    holder: string,
    claimed: ClaimedEvent[],
  ): Promise<{ failed: number; moreDue: boolean }> {
    const { outcomes, appliedRoles } = await this.whileLeased(holder, claimed, () =>
      leasesMembers(lane)
        ? this.effects.apply(claimed)
        : this.notifications.apply(claimed).then((sent) => ({ outcomes: sent, appliedRoles: [] })),
    );
    const done: EventDone[] = [];
    const failures: EventFailure[] = [];
    const backoff = {
      baseMs: this.config.env.SYNC_BACKOFF_BASE_MS,
      maxMs: this.config.env.SYNC_BACKOFF_MAX_MS,
      jitter: this.config.env.SYNC_BACKOFF_JITTER,
    };
    for (const event of claimed) {
      const outcome: EventOutcome = outcomes.get(event.id) ?? { ok: false, error: 'no outcome' };
      if (outcome.ok) {
        done.push({ id: event.id, attempts: event.attempts, note: outcome.note });
        continue;
      }
      const retryInMs = backoffMs(event.attempts, backoff);
      const pastWindow = this.pastDmRetryWindow(lane, event, retryInMs);
      failures.push({
        id: event.id,
        attempts: event.attempts,
        error: pastWindow ? `${outcome.error}; ${pastWindow}` : outcome.error,
        retryInMs,
        delivered: outcome.delivered,
        final: outcome.final === true || pastWindow !== null,
      });
    }
    const settled = await this.events.settle(
      lane,
      holder,
      done,
      failures,
      leasesMembers(lane) ? notificationRows(claimed) : [],
      appliedRoles,
    );
    if (settled.notificationsWritten > 0) {
      this.observers.eventsCreated(
        new Array<string>(settled.notificationsWritten).fill('notify.dm'),
      );
    }
    // The messages just written are sent by this worker process at once, without a wake-up
    // through Redis (the sweep covers a process that dies before).
    for (const notified of settled.notified) {
      this.drain(notified).catch((error: Error) =>
        this.logger.warn(`lane ${notified} not drained (${error.message}); the sweep will wake it`),
      );
    }
    const typeOf = new Map(claimed.map((event) => [event.id, event.type]));
    this.observers.eventsCompleted(done.map((d) => typeOf.get(d.id) ?? 'unknown'));
    this.observers.eventsFailed(
      settled.failed.filter((s) => s.status === 'failed').map((s) => typeOf.get(s.id) ?? 'unknown'),
    );
    const retryDelays = new Set(
      settled.failed
        .filter((s) => s.status === 'pending')
        .map((s) => Math.ceil(s.retryInMs / RETRY_WAKE_GRANULARITY_MS) * RETRY_WAKE_GRANULARITY_MS),
    );
    for (const delay of retryDelays) {
      this.wakeUps
        .wakeLater(lane, delay)
        .catch((error: Error) =>
          this.logger.warn(
            `retry wake-up of lane ${lane} not sent (${error.message}); the sweep will`,
          ),
        );
    }
    // One line per failure, in the correlation of what caused the event.
    const correlationOf = new Map(claimed.map((event) => [event.id, event.correlationId]));
    for (const failure of failures) {
      withCorrelation(correlationOf.get(failure.id), () =>
        this.logger.warn(
          `event ${failure.id} (${typeOf.get(failure.id)}) failed: ${failure.error}`,
        ),
      );
    }
    return { failed: failures.length, moreDue: settled.moreDue };
  }

  /**
   * A Discord DM retried after Discord forgot its nonce could be created twice: a retry that
   * would be due past the window is not made; the reason is returned (null: retry).
   */
  private pastDmRetryWindow(lane: SyncLane, event: ClaimedEvent, retryInMs: number): string | null {
    const windowMs = this.config.env.SYNC_DM_RETRY_WINDOW_MS;
    if (lane !== 'dm:discord' || event.sinceFirstAttemptMs + retryInMs <= windowMs) return null;
    return `not retried: the next attempt would come more than ${Math.round(windowMs / 1000)} s after the first, when Discord may no longer recognize the message's nonce and could deliver it twice (an admin retry sends it again)`;
  }

  /**
   * Runs the effects while renewing the rows' and their members' leases every third of a
   * lease, so a slow batch (Discord's rate limits) is not mistaken for a dead one and run twice.
   * Returns only once no renewal runs, so the settle never runs beside one.
   */
  private async whileLeased<T>(
    holder: string,
    claimed: ClaimedEvent[],
    work: () => Promise<T>,
  ): Promise<T> {
    const claims = claimed.map((event) => ({ id: event.id, attempts: event.attempts }));
    const renewal = new LeaseRenewal(this.config.env.SYNC_LEASE_MS, () =>
      this.events.renewLease(claims, holder).catch((error: Error) =>
        // The next renewal tries again; at worst the lease runs out and another claims them.
        this.logger.warn(`lease renewal of ${claims.length} event(s) failed: ${error.message}`),
      ),
    );
    try {
      return await work();
    } finally {
      await renewal.stop(); // before the settle: never beside it
    }
  }
}
