import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Context } from 'telegraf';
import { isStoreOutage } from '@ttfd/database';
import { translate } from '@ttfd/i18n';
import { refusalMessage } from '@ttfd/presenter';
import { CallbackDataCodec } from '../callbacks/callback-data.codec';
import { RateLimitedSender } from '../sending/rate-limited-sender';
import { TELEGRAM_SETTINGS, TelegramSettings } from '../telegram-settings';
import { StoreUnavailable } from './store-unavailable';
import { Turn } from './turn';

/**
 * Runs a handler for one update and owns what every handler would otherwise repeat: the locale,
 * mapping a refused domain operation to a localized answer, a generic answer (and an error log)
 * for anything unexpected, and never leaving a pressed button spinning.
 */
@Injectable()
export class Conversation {
  private readonly logger = new Logger(Conversation.name);
  readonly codec: CallbackDataCodec;

  constructor(
    private readonly sender: RateLimitedSender,
    @Inject(TELEGRAM_SETTINGS) private readonly settings: TelegramSettings,
  ) {
    this.codec = new CallbackDataCodec(settings.callbackSecret);
  }

  isAdmin(userId: number): boolean {
    return this.settings.adminIds.includes(String(userId));
  }

  async handle(ctx: Context, work: (turn: Turn) => Promise<void>): Promise<void> {
    // Updates without a human sender (channel posts and the like) are not conversations.
    if (!ctx.from || ctx.from.is_bot) return;
    const turn = new Turn(ctx, ctx.from, this.sender, this.codec);
    try {
      await work(turn);
      await turn.answer();
    } catch (error) {
      await this.answerFailure(turn, error);
    }
  }

  private async answerFailure(turn: Turn, error: unknown): Promise<void> {
    // Postgres or Redis is down: not the user's business and not a bug. The update intake refuses
    // the update so that Telegram delivers it again; the user then gets the real answer.
    if (isStoreOutage(error)) throw new StoreUnavailable(error);
    let text: string;
    const refusal = refusalMessage(error, 'telegram', this.settings.timeZone, turn.locale);
    if (refusal) {
      text = translate(turn.locale, refusal.key, refusal.params);
    } else {
      const failure = error instanceof Error ? error : new Error(String(error));
      this.logger.error(
        `Update ${turn.ctx.update.update_id} failed: ${failure.message}`,
        failure.stack,
      );
      text = turn.t('common.internalError');
    }
    try {
      // An alert on the button when it is still waiting; else a message (e.g. after a game
      // button was acknowledged and the domain then refused, like a second spin today).
      if (turn.isCallback && !turn.callbackAnswered) await turn.answer(text, true);
      else await turn.reply(text);
    } catch (replyError) {
      this.logger.warn(`Could not tell the user about a failure: ${(replyError as Error).message}`);
    }
  }
}
