import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@ttfd/config';
import { Clock } from '@ttfd/clock';
import { withCorrelation } from '@ttfd/common';
import { SyncObservers } from '../ports/sync-observers';
import { JobHandler } from '../queues/job-handler';
import { syncJobId } from '../queues/sync-jobs';
import { SyncQueues } from '../queues/sync-queues';
import { backoffMs } from './backoff';
import { SyncEffectsService } from './sync-effects.service';
import { ClaimedEvent, EventFailure, SyncEventRepository } from './sync-event.repository';

export interface SyncEventsJobData {
  eventIds: string[];
}

/**
 * Processes outbox rows (flow 2): claim, apply effects, then settle every row in one statement
 * per outcome. A failed row goes back to pending with its next attempt time and gets a delayed
 * job with a fresh id; the relay covers that job getting lost.
 */
@Injectable()
@JobHandler('sync.events')
export class SyncEventsJob {
  private readonly logger = new Logger('SyncEventsJob');

  constructor(
    private readonly events: SyncEventRepository,
    private readonly effects: SyncEffectsService,
    private readonly queues: SyncQueues,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly observers: SyncObservers,
  ) {}

  async handle(data: SyncEventsJobData): Promise<{ claimed: number; failed: number }> {
    const claimed = await this.events.claim(data.eventIds);
    if (claimed.length === 0) return { claimed: 0, failed: 0 };
    const outcomes = await this.whileLeased(claimed, () => this.effects.apply(claimed));
    const done: { id: string; attempts: number; note: string | null }[] = [];
    const failures: EventFailure[] = [];
    const now = this.clock.nowMs();
    const backoff = {
      baseMs: this.config.env.SYNC_BACKOFF_BASE_MS,
      maxMs: this.config.env.SYNC_BACKOFF_MAX_MS,
      jitter: this.config.env.SYNC_BACKOFF_JITTER,
    };
    for (const event of claimed) {
      const outcome = outcomes.get(event.id) ?? { ok: false, error: 'no outcome' };
      if (outcome.ok) {
        done.push({ id: event.id, attempts: event.attempts, note: outcome.note });
      } else {
        failures.push({
          id: event.id,
          attempts: event.attempts,
          error: outcome.error,
          nextAttemptAt: new Date(now + backoffMs(event.attempts, backoff)),
          delivered: outcome.delivered,
        });
      }
    }
    await this.events.complete(done);
    const settled = await this.events.fail(failures);
    const typeOf = new Map(claimed.map((event) => [event.id, event.type]));
    this.observers.eventsCompleted(done.map((d) => typeOf.get(d.id) ?? 'unknown'));
    this.observers.eventsFailed(
      settled.filter((s) => s.status === 'failed').map((s) => typeOf.get(s.id) ?? 'unknown'),
    );
    for (const retry of settled.filter((s) => s.status === 'pending')) {
      this.queues
        .add('sync.events', { eventIds: [retry.id] }, syncJobId([retry.id], 'retry'), {
          delay: Math.max(0, retry.nextAttemptAt.getTime() - now),
        })
        .catch((error: Error) =>
          this.logger.warn(
            `retry of event ${retry.id} not enqueued (${error.message}); the relay will`,
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
    return { claimed: claimed.length, failed: failures.length };
  }

  /**
   * Runs the effects while renewing the rows' lease every third of it, so a slow job (a member
   * lock to wait for, Discord's rate limits) is not mistaken for a dead one and run twice.
   */
  private async whileLeased<T>(claimed: ClaimedEvent[], work: () => Promise<T>): Promise<T> {
    const claims = claimed.map((event) => ({ id: event.id, attempts: event.attempts }));
    const timer = setInterval(
      () => {
        this.events.renewLease(claims).catch((error: Error) =>
          // The next renewal tries again; at worst the lease runs out and the relay re-runs them.
          this.logger.warn(`lease renewal of ${claims.length} event(s) failed: ${error.message}`),
        );
      },
      Math.max(100, Math.floor(this.config.env.SYNC_LEASE_MS / 3)),
    );
    timer.unref(); // never what keeps a process alive
    try {
      return await work();
    } finally {
      clearInterval(timer);
    }
  }
}
