import { Logger } from '@nestjs/common';
import { setTimeout as delay } from 'node:timers/promises';
import { Telegraf, TelegramError } from 'telegraf';
import type { Update } from 'telegraf/types';
import { ALLOWED_UPDATES } from './allowed-updates';
import { UpdateDeferred } from './update-intake.service';

/** What the poller needs of the intake: handle one update, or throw UpdateDeferred. */
export interface UpdateSink {
  accept(update: Update): Promise<unknown>;
}

type PolyfillSignal = NonNullable<Parameters<Telegraf['telegram']['callApi']>[2]>['signal'];

export interface PollerStatus {
  ok: boolean;
  detail?: string;
}

/**
 * Long polling, our own loop rather than telegraf's launch(): the long-poll timeout is ours to
 * choose (telegraf hardcodes 50 s), every update passes our intake (dedupe) first, the readiness
 * check sees the last poll's outcome, and stopping is an abort of the held request.
 *
 * Updates of one chat are handled in order; different chats in parallel. The next getUpdates
 * waits for the batch's effects, never for its answers (they leave through the send queues).
 * The offset is the acknowledgement: it moves past an update only once the intake accepted it.
 * A deferred update (Postgres or Redis down) stops its chat's remaining updates of the batch and
 * holds the offset there; the next poll, after a pause, gets them again (updates of other chats
 * handled meanwhile are then dropped by the dedupe).
 */
export class UpdatePoller {
  private readonly logger = new Logger(UpdatePoller.name);
  private readonly abort = new AbortController();
  private offset = 0;
  private loop: Promise<void> | undefined;
  status: PollerStatus = { ok: false, detail: 'not polling yet' };

  constructor(
    private readonly bot: Telegraf,
    private readonly timeoutSeconds: number,
    private readonly intake: UpdateSink,
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    let failures = 0;
    let deferrals = 0;
    while (!this.abort.signal.aborted) {
      let updates: Update[];
      try {
        updates = await this.bot.telegram.callApi(
          'getUpdates',
          { timeout: this.timeoutSeconds, offset: this.offset, allowed_updates: ALLOWED_UPDATES },
          // telegraf types the signal with its abort-controller polyfill; Node's is compatible.
          { signal: this.abort.signal as unknown as PolyfillSignal },
        );
        this.status = { ok: true };
        failures = 0;
      } catch (error) {
        if (this.abort.signal.aborted) break;
        failures++;
        const waitSeconds = this.backoffSeconds(error, failures);
        this.status = { ok: false, detail: (error as Error).message };
        this.logger.warn(
          `getUpdates failed (${(error as Error).message}); retry in ${waitSeconds} s`,
        );
        await delay(waitSeconds * 1000, undefined, { signal: this.abort.signal }).catch(
          () => undefined,
        );
        continue;
      }
      if (updates.length === 0) continue;
      const deferred = await this.handleBatch(updates);
      if (deferred === undefined) {
        this.offset = updates[updates.length - 1].update_id + 1;
        deferrals = 0;
        continue;
      }
      this.offset = deferred;
      deferrals++;
      const waitSeconds = Math.min(30, 2 ** Math.min(deferrals - 1, 5));
      this.status = { ok: false, detail: `update ${deferred} deferred` };
      await delay(waitSeconds * 1000, undefined, { signal: this.abort.signal }).catch(
        () => undefined,
      );
    }
    // Confirm what was handled, so a restart does not get the last batch again.
    await this.bot.telegram
      .callApi('getUpdates', { offset: this.offset, limit: 1, timeout: 0 })
      .catch(() => undefined);
  }

  /** Handles a batch; returns the lowest update_id that was deferred, if any. */
  private async handleBatch(updates: Update[]): Promise<number | undefined> {
    const byChat = new Map<string, Update[]>();
    for (const update of updates) {
      const key = chatKeyOf(update);
      byChat.set(key, [...(byChat.get(key) ?? []), update]);
    }
    const deferred = await Promise.all(
      [...byChat.values()].map(async (list) => {
        for (const update of list) {
          try {
            await this.intake.accept(update);
          } catch (error) {
            if (error instanceof UpdateDeferred) return update.update_id;
            // The intake catches bugs itself; if one escapes anyway, polling must go on.
            this.logger.error(
              `Update ${update.update_id} failed: ${(error as Error).message}`,
              (error as Error).stack,
            );
          }
        }
        return undefined;
      }),
    );
    const ids = deferred.filter((id): id is number => id !== undefined);
    return ids.length > 0 ? Math.min(...ids) : undefined;
  }

  private backoffSeconds(error: unknown, failures: number): number {
    if (error instanceof TelegramError && error.parameters?.retry_after) {
      return error.parameters.retry_after;
    }
    return Math.min(30, 2 ** Math.min(failures - 1, 5));
  }
}

function chatKeyOf(update: Update): string {
  if ('message' in update) return String(update.message.chat.id);
  if ('callback_query' in update) return String(update.callback_query.from.id);
  return `update:${update.update_id}`;
}
