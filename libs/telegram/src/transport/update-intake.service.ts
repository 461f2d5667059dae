import { Injectable, Logger } from '@nestjs/common';
import { InjectBot } from 'nestjs-telegraf';
import { Telegraf } from 'telegraf';
import type { Update, User } from 'telegraf/types';
import { newCorrelationId, withCorrelation } from '@ttfd/common';
import { isStoreOutage } from '@ttfd/database';
import { resolveLocale, translate } from '@ttfd/i18n';
import { HeldReplies } from '../conversation/held-replies';
import { ChatBacklogFull } from '../sending/chat-lanes';
import { isGone, RateLimitedSender, SenderStopped } from '../sending/rate-limited-sender';
import { UpdateDedupe } from './update-dedupe';
import { FloodVerdict, UserFloodGuard } from './user-flood-guard';

/** `handled` includes a bug answered with an apology: it will not get better by retrying. */
export type IntakeOutcome = 'handled' | 'duplicate' | 'ignored';

/**
 * The update was NOT handled and must be delivered again: Postgres or Redis is down, or another
 * delivery of it is still being handled. The webhook answers 503, the poller keeps its offset.
 */
export class UpdateDeferred extends Error {
  constructor(
    readonly updateId: number,
    reason: string,
  ) {
    super(`update ${updateId} deferred: ${reason}`);
    this.name = 'UpdateDeferred';
  }
}

/**
 * The one door for updates, from long polling and from the webhook alike. The acknowledgement
 * rule lives here: `accept` resolves once the update's effects are committed (then the webhook
 * answers 200 and the poller moves its offset past it), and throws UpdateDeferred when they are
 * not. Answers are held during handling and queued per chat afterwards, never awaited here.
 *
 * Order: claim the update_id (dedupe) and count it against the user's command limit (sent
 * together), handle it if it was claimed and the user is within the limit, release its answers,
 * mark it done.
 */
@Injectable()
export class UpdateIntake {
  private readonly logger = new Logger(UpdateIntake.name);
  private inFlight = new Set<Promise<unknown>>();

  constructor(
    @InjectBot() private readonly bot: Telegraf,
    private readonly dedupe: UpdateDedupe,
    private readonly flood: UserFloodGuard,
    private readonly sender: RateLimitedSender,
  ) {}

  /**
   * Handles the update in a correlation of its own (`tg-{update_id}-{uuid}`): the handlers' log
   * lines, the outbox rows they cause and so the worker's platform calls all carry it.
   */
  accept(update: Update): Promise<IntakeOutcome> {
    const handling = withCorrelation(newCorrelationId(`tg-${update.update_id}`), () =>
      this.handle(update),
    );
    this.inFlight.add(handling);
    void handling.catch(() => undefined).finally(() => this.inFlight.delete(handling));
    return handling;
  }

  /** Resolves when every update being handled has finished (shutdown). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  private async handle(update: Update): Promise<IntakeOutcome> {
    const id = update.update_id;
    const sender = senderOf(update);
    // The user's count leaves with the claim, so the two cost one round trip to Redis; it is
    // awaited only once the update is claimed. A duplicate delivery is counted too (as every
    // delivery refused during an outage always was); one that crosses the limit mutes its user
    // without the "slow down" answer, which only a handled delivery sends.
    const counted = sender ? this.flood.check(sender.id) : Promise.resolve<FloodVerdict>('allow');
    counted.catch(() => undefined);
    const claim = await this.dedupe.claim(id).catch((error: unknown) => {
      throw this.deferred(id, `the update dedupe is unavailable (${(error as Error).message})`);
    });
    if (claim === 'done') {
      this.logger.debug(`Update ${id} was delivered before: dropped`);
      return 'duplicate';
    }
    if (claim === 'busy') throw this.deferred(id, 'another delivery of it is being handled');

    const held = new HeldReplies();
    let outcome: IntakeOutcome = 'handled';
    try {
      const verdict = await counted;
      if (verdict === 'allow') {
        await HeldReplies.run(held, () => this.bot.handleUpdate(update));
      } else {
        outcome = 'ignored';
        if (verdict === 'warn') this.holdSlowDown(held, update, sender!);
      }
    } catch (error) {
      held.discard();
      if (isStoreOutage(error)) {
        await this.dedupe.release(id);
        throw this.deferred(id, (error as Error).message);
      }
      // A bug outside the conversation layer (which answers its own): retrying will not help.
      const failure = error instanceof Error ? error : new Error(String(error));
      this.logger.error(`Update ${id} failed: ${failure.message}`, failure.stack);
    }
    // The effects are committed: the answers leave now, not one more round trip later.
    held.release((error) => this.sendFailed(error));
    await this.dedupe.finish(id);
    return outcome;
  }

  private holdSlowDown(held: HeldReplies, update: Update, user: User): void {
    const chatId = chatOf(update) ?? user.id;
    const text = translate(resolveLocale(user.language_code), 'telegram.slowDown', {
      seconds: this.flood.muteSeconds,
    });
    this.logger.warn(`User ${user.id} sends too many updates: ignored for a while`);
    held.hold(() => this.sender.sendMessage(chatId, text));
  }

  private deferred(id: number, reason: string): UpdateDeferred {
    const deferred = new UpdateDeferred(id, reason);
    this.logger.warn(`${deferred.message}; it will be delivered again`);
    return deferred;
  }

  /** An answer that could not be sent after the update was acknowledged: logged, not retried. */
  private sendFailed(error: unknown): void {
    if (error instanceof SenderStopped || isGone(error)) return;
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof ChatBacklogFull) this.logger.warn(`Answer dropped: ${message}`);
    else this.logger.warn(`An answer could not be sent: ${message}`);
  }
}

/** The human (or bot) behind an update, for the command limit. */
function senderOf(update: Update): User | undefined {
  if ('message' in update) return update.message.from;
  if ('callback_query' in update) return update.callback_query.from;
  return undefined;
}

function chatOf(update: Update): number | undefined {
  if ('message' in update) return update.message.chat.id;
  if ('callback_query' in update) return update.callback_query.message?.chat.id;
  return undefined;
}
