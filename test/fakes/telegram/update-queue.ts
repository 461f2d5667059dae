import { BotApiError } from './bot-api-error';
import type { AssignedUpdate, RawUpdate } from './fake-telegram.types';

interface QueuedUpdate {
  update: AssignedUpdate;
  /**
   * Set for an update_id the fake already handed out (a test re-delivering an update to check
   * dedupe): it ignores the offset, which has already confirmed it, and leaves once returned.
   */
  redelivery: boolean;
}

interface HeldPoll {
  limit: number;
  finish: (result: AssignedUpdate[] | BotApiError) => void;
}

export interface PollRequest {
  offset: number;
  limit: number;
  timeoutMs: number;
  /** Aborted when the client hangs up (telegraf's bot.stop()); the held poll is then dropped. */
  signal: AbortSignal;
}

/**
 * Pending updates and the held getUpdates request. An update stays until a later getUpdates confirms
 * it with a higher offset (so a bot that crashes before confirming gets it again), as in the real API.
 * Like the real API, only one getUpdates may be held: a new one ends the previous with 409 Conflict.
 */
export class UpdateQueue {
  private entries: QueuedUpdate[] = [];
  private held: HeldPoll | undefined;
  private lastUpdateId = 0;
  private closed = false;

  /** Gives the update its id (the next one, unless the test chose one) and queues it. */
  enqueue<T extends RawUpdate>(
    raw: T,
    accept: (update: AssignedUpdate<T>) => boolean,
  ): AssignedUpdate<T> {
    const requested = raw.update_id;
    const redelivery = requested !== undefined && requested <= this.lastUpdateId;
    const update_id = requested ?? this.lastUpdateId + 1;
    this.lastUpdateId = Math.max(this.lastUpdateId, update_id);
    const update = { ...raw, update_id };
    if (!accept(update)) return update;
    this.entries.push({ update, redelivery });
    this.wakeHeldPoll();
    return update;
  }

  poll({ offset, limit, timeoutMs, signal }: PollRequest): Promise<AssignedUpdate[]> {
    this.confirm(offset);
    this.held?.finish(
      new BotApiError(
        409,
        'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
      ),
    );
    const ready = this.take(limit);
    if (ready.length > 0 || timeoutMs <= 0 || this.closed || signal.aborted) {
      return Promise.resolve(ready);
    }
    return new Promise<AssignedUpdate[]>((resolve, reject) => {
      const timer = setTimeout(() => held.finish([]), timeoutMs);
      const onAbort = () => held.finish([]);
      const held: HeldPoll = {
        limit,
        finish: (result) => {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          if (this.held === held) this.held = undefined;
          if (result instanceof BotApiError) reject(result);
          else resolve(result);
        },
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.held = held;
    });
  }

  /** Ends a held poll with an error (setWebhook makes getUpdates illegal). */
  interruptHeldPoll(error: BotApiError): void {
    this.held?.finish(error);
  }

  /** Answers a held poll with [] and makes future polls return at once: the fake is stopping. */
  close(): void {
    this.closed = true;
    this.held?.finish([]);
  }

  /** Webhook mode takes updates one by one in arrival order. */
  peek(): AssignedUpdate | undefined {
    return this.entries[0]?.update;
  }

  remove(update: AssignedUpdate): void {
    const index = this.entries.findIndex((entry) => entry.update === update);
    if (index >= 0) this.entries.splice(index, 1);
  }

  clear(): void {
    this.entries = [];
  }

  pending(): AssignedUpdate[] {
    return this.entries.map((entry) => entry.update);
  }

  get size(): number {
    return this.entries.length;
  }

  /** offset > 0 confirms every update below it; offset -N keeps only the last N (Bot API rules). */
  private confirm(offset: number): void {
    if (offset > 0) {
      this.entries = this.entries.filter(
        (entry) => entry.redelivery || entry.update.update_id >= offset,
      );
    } else if (offset < 0) {
      this.entries = this.entries.slice(offset);
    }
  }

  /** Up to `limit` updates in update_id order, so telegraf's next offset (last id + 1) skips them all. */
  private take(limit: number): AssignedUpdate[] {
    const batch = [...this.entries]
      .sort((a, b) => a.update.update_id - b.update.update_id)
      .slice(0, limit);
    const delivered = new Set(batch.filter((entry) => entry.redelivery));
    this.entries = this.entries.filter((entry) => !delivered.has(entry));
    return batch.map((entry) => entry.update);
  }

  private wakeHeldPoll(): void {
    if (!this.held) return;
    const ready = this.take(this.held.limit);
    if (ready.length > 0) this.held.finish(ready);
  }
}
