import { STATUS_CODES } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { AssignedUpdate, WebhookDelivery } from './fake-telegram.types';
import { postJson } from './http-post';
import { isRecord } from './params';
import type { StateStore, WebhookConfig } from './state-store';
import type { UpdateQueue } from './update-queue';

export interface WebhookDelivererDeps {
  store: StateStore;
  queue: UpdateQueue;
  now: () => number;
  maxAttempts: number;
  retryDelayMs: number;
  /** Requests in flight at once (distinct chats); 1 keeps delivery strictly sequential. */
  maxConnections?: number;
  rewriteUrl: (url: string) => string;
  /** Runs a method the webhook answered with in its response body (telegraf's webhookReply). */
  runReplyMethod: (method: string, params: Record<string, unknown>) => Promise<void>;
}

/**
 * Pushes queued updates to the webhook one at a time, in order, like Telegram with one connection.
 * A non-2xx answer or a network error is retried a bounded number of times (the real API keeps
 * trying for hours); then the update is dropped and getWebhookInfo reports the last error.
 */
export class WebhookDeliverer {
  readonly deliveries: WebhookDelivery[] = [];
  /** A bug in the deliverer itself; surfaced by FakeTelegram.waitForWebhookIdle, never swallowed. */
  failure: unknown;
  private running: Promise<void> | undefined;
  private readonly stopping = new AbortController();
  /** Set while a parallel drain waits: resolves that wait early. */
  private wakeUp: (() => void) | undefined;

  constructor(private readonly deps: WebhookDelivererDeps) {}

  /** Starts draining the queue if a webhook is set and nothing is draining it yet. */
  kick(): void {
    // A parallel drain waiting on slow deliveries looks at the queue again for the new update.
    this.wakeUp?.();
    if (this.running || this.stopping.signal.aborted || !this.deps.store.webhook) return;
    this.running = this.drain()
      .catch((error: unknown) => {
        this.failure ??= error;
      })
      .finally(() => {
        this.running = undefined;
        // Updates may have arrived while the last delivery finished.
        if (this.failure === undefined && this.deps.queue.size > 0) this.kick();
      });
  }

  isIdle(): boolean {
    return (
      this.running === undefined &&
      (this.deps.store.webhook === undefined || this.deps.queue.size === 0)
    );
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
  }

  private async drain(): Promise<void> {
    if ((this.deps.maxConnections ?? 1) > 1) return this.drainInParallel(this.deps.maxConnections!);
    for (;;) {
      const webhook = this.deps.store.webhook;
      const update = this.deps.queue.peek();
      if (!webhook || !update || this.stopping.signal.aborted) return;
      await this.deliver(update, webhook);
      this.deps.queue.remove(update);
    }
  }

  /**
   * Like Telegram with several connections: up to `connections` updates in flight, never two of
   * the same chat, each chat's updates in arrival order.
   */
  private async drainInParallel(connections: number): Promise<void> {
    const inFlight = new Map<AssignedUpdate, Promise<void>>();
    const busyChats = new Set<string>();
    for (;;) {
      const webhook = this.deps.store.webhook;
      if (!webhook || this.stopping.signal.aborted) break;
      const blocked = new Set(busyChats);
      for (const update of this.deps.queue.pending()) {
        if (inFlight.size >= connections) break;
        const chat = deliveryChatOf(update);
        if (inFlight.has(update) || blocked.has(chat)) {
          blocked.add(chat); // later updates of this chat wait for the earlier one
          continue;
        }
        blocked.add(chat);
        busyChats.add(chat);
        const delivery = this.deliver(update, webhook).finally(() => {
          this.deps.queue.remove(update);
          busyChats.delete(chat);
          inFlight.delete(update);
        });
        inFlight.set(update, delivery);
      }
      if (inFlight.size === 0) break;
      const woken = new Promise<void>((resolve) => (this.wakeUp = resolve));
      await Promise.race([...inFlight.values(), woken]);
      this.wakeUp = undefined;
    }
    await Promise.all(inFlight.values());
  }

  private async deliver(update: AssignedUpdate, webhook: WebhookConfig): Promise<void> {
    const delivery: WebhookDelivery = { update, url: webhook.url, attempts: [], state: 'pending' };
    this.deliveries.push(delivery);
    for (let attempt = 1; attempt <= this.deps.maxAttempts; attempt++) {
      if (attempt > 1)
        await delay(this.deps.retryDelayMs, undefined, { signal: this.stopping.signal }).catch(
          () => undefined,
        );
      if (this.stopping.signal.aborted) break;
      const at = this.deps.now();
      try {
        const response = await postJson(this.deps.rewriteUrl(webhook.url), update, {
          headers: webhook.secretToken
            ? { 'X-Telegram-Bot-Api-Secret-Token': webhook.secretToken }
            : {},
          signal: this.stopping.signal,
        });
        delivery.attempts.push({ at, status: response.status, body: response.body });
        if (response.status >= 200 && response.status < 300) {
          await this.runReply(response.body);
          delivery.state = 'delivered';
          return;
        }
        this.noteError(
          webhook,
          `Wrong response from the webhook: ${response.status} ${STATUS_CODES[response.status] ?? ''}`.trim(),
        );
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        delivery.attempts.push({ at, body: '', error: message });
        this.noteError(webhook, `Connection failed: ${message}`);
      }
    }
    delivery.state = 'failed';
  }

  private noteError(webhook: WebhookConfig, message: string): void {
    webhook.lastErrorDate = Math.floor(this.deps.now() / 1000);
    webhook.lastErrorMessage = message;
  }

  /** A webhook may answer with `{ "method": "...", ...params }`; Telegram then executes that call. */
  private async runReply(body: string): Promise<void> {
    if (body.trim() === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return;
    }
    if (!isRecord(parsed) || typeof parsed.method !== 'string') return;
    const { method, ...params } = parsed;
    await this.deps.runReplyMethod(method, params);
  }
}

/** The chat an update belongs to, for keeping each chat's deliveries in order. */
function deliveryChatOf(update: AssignedUpdate): string {
  const message = update.message as { chat?: { id?: number } } | undefined;
  if (message?.chat?.id !== undefined) return `chat:${message.chat.id}`;
  const query = update.callback_query as
    { from?: { id?: number }; message?: { chat?: { id?: number } } } | undefined;
  if (query?.message?.chat?.id !== undefined) return `chat:${query.message.chat.id}`;
  if (query?.from?.id !== undefined) return `user:${query.from.id}`;
  return `update:${update.update_id}`;
}
