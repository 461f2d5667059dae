import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@ttfd/config';
import { chunk, syncJobId } from '../queues/sync-jobs';
import { SyncQueues } from '../queues/sync-queues';
import { OutboxDispatcher } from './outbox.dispatcher';

const LOG_EVERY_MS = 30_000;

/**
 * Puts committed outbox rows on the `sync` queue, fire-and-forget: returns at once, never
 * throws. A failed enqueue is counted and logged at most every 30 s; the relay picks the rows
 * up from Postgres a few seconds later.
 */
@Injectable()
export class BullOutboxDispatcher extends OutboxDispatcher {
  private readonly logger = new Logger('OutboxDispatcher');
  private failures = 0;
  private failuresSinceLog = 0;
  private lastLogAt = 0;
  private buffer: string[] = [];
  private flushScheduled = false;
  private inFlight = false;

  constructor(
    private readonly queues: SyncQueues,
    private readonly config: AppConfig,
  ) {
    super();
  }

  /** Enqueue failures since start (for metrics). */
  get failureCount(): number {
    return this.failures;
  }

  dispatch(eventIds: string[]): void {
    this.buffer.push(...eventIds);
    if (this.flushScheduled || this.inFlight) return;
    this.flushScheduled = true;
    const linger = this.config.env.SYNC_DISPATCH_LINGER_MS;
    if (linger > 0) setTimeout(() => this.flush(), linger);
    else setImmediate(() => this.flush());
  }

  /**
   * Group enqueue: ids committed within SYNC_DISPATCH_LINGER_MS of the first, or while the
   * previous enqueue is on its way to Redis, go together in the next job(s). The jobs grow with
   * the load (one claim, one settle and one BullMQ round for many events) instead of the queue
   * growing with it (docs/performance.md has the A/B).
   */
  private flush(): void {
    this.flushScheduled = false;
    const ids = this.buffer.splice(0).sort((a, b) => Number(a) - Number(b));
    if (ids.length === 0) return;
    const adds: Promise<void>[] = [];
    try {
      for (const batch of chunk(ids, this.config.env.SYNC_JOB_BATCH_SIZE)) {
        adds.push(
          this.queues
            .add('sync.events', { eventIds: batch }, syncJobId(batch))
            .catch((error: Error) => this.onFailure(batch.length, error)),
        );
      }
    } catch (error) {
      this.onFailure(ids.length, error as Error);
    }
    this.inFlight = true;
    void Promise.all(adds).then(() => {
      this.inFlight = false;
      if (this.buffer.length > 0) this.flush();
    });
  }

  private onFailure(count: number, error: Error): void {
    this.failures += count;
    this.failuresSinceLog += count;
    const now = Date.now(); // log throttling only, not domain time
    if (now - this.lastLogAt < LOG_EVERY_MS) return;
    this.lastLogAt = now;
    this.logger.warn(
      `${this.failuresSinceLog} outbox event(s) not enqueued (${error.message}); the relay will pick them up`,
    );
    this.failuresSinceLog = 0;
  }
}
