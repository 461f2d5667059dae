import { AsyncLocalStorage } from 'node:async_hooks';

type Outgoing = () => Promise<unknown>;

/**
 * The answers of one update, held back until its effects are committed. If handling then fails
 * because Postgres or Redis is down, the update is refused (Telegram delivers it again) and its
 * held answers are dropped, so the user never hears the first, unfinished attempt. Once released,
 * they go into the chat's send queue (RateLimitedSender) and the update is acknowledged without
 * waiting for them to leave.
 *
 * The update intake opens a scope around telegraf's handling; Turn finds it here, so no handler
 * has to pass it along.
 */
export class HeldReplies {
  private static readonly scope = new AsyncLocalStorage<HeldReplies>();
  private outgoing: Outgoing[] = [];

  static run<T>(held: HeldReplies, work: () => Promise<T>): Promise<T> {
    return HeldReplies.scope.run(held, work);
  }

  /** The scope of the update being handled, if any. */
  static current(): HeldReplies | undefined {
    return HeldReplies.scope.getStore();
  }

  hold(send: Outgoing): void {
    this.outgoing.push(send);
  }

  get size(): number {
    return this.outgoing.length;
  }

  /**
   * Queues every held answer, in order (each call enqueues synchronously, so the chat's FIFO keeps
   * their order), without waiting for them to be sent. A failed send goes to `onFailure`.
   */
  release(onFailure: (error: unknown) => void): void {
    const outgoing = this.outgoing;
    this.outgoing = [];
    for (const send of outgoing) send().catch(onFailure);
  }

  discard(): void {
    this.outgoing = [];
  }
}
