import { Inject, Injectable, Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { InjectBot } from 'nestjs-telegraf';
import { Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import { newCorrelationId, withCorrelation } from '@ttfd/common';
import { REDIS } from '@ttfd/database';
import { TELEGRAM_SETTINGS, TelegramSettings } from '../telegram-settings';

/**
 * The one door for updates, from long polling and from the webhook alike: drop a re-delivered
 * update_id, then hand the update to telegraf (and so to the nestjs-telegraf handlers).
 */
@Injectable()
export class UpdateIntake {
  private readonly logger = new Logger(UpdateIntake.name);
  private inFlight = new Set<Promise<void>>();

  constructor(
    @InjectBot() private readonly bot: Telegraf,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(TELEGRAM_SETTINGS) private readonly settings: TelegramSettings,
  ) {}

  /**
   * Handles the update in a correlation of its own (`tg-{update_id}-{uuid}`): the handlers' log
   * lines, the outbox rows they cause and so the worker's platform calls all carry it.
   */
  accept(update: Update): Promise<void> {
    return withCorrelation(newCorrelationId(`tg-${update.update_id}`), () => this.handle(update));
  }

  private async handle(update: Update): Promise<void> {
    if (!(await this.isFirstDelivery(update.update_id))) {
      this.logger.debug(`Update ${update.update_id} was delivered before: dropped`);
      return;
    }
    const handling = this.bot.handleUpdate(update).catch((error: Error) => {
      // Conversation errors are answered by the handlers; this is a bug or a dead Telegram.
      this.logger.error(`Update ${update.update_id} failed: ${error.message}`, error.stack);
    });
    this.inFlight.add(handling);
    try {
      await handling;
    } finally {
      this.inFlight.delete(handling);
    }
  }

  /** Resolves when every update being handled has finished (shutdown). */
  async drain(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  /**
   * `SET NX EX` on the update id. Short-lived on purpose: Telegram reuses update ids after about
   * a week without updates. If Redis does not answer we handle the update anyway: money is
   * protected by the ledger's idempotency keys, and a lost command is worse than a repeated one.
   */
  private async isFirstDelivery(updateId: number): Promise<boolean> {
    try {
      const set = await this.redis.set(
        `tg:update:${updateId}`,
        '1',
        'EX',
        this.settings.updateDedupeSeconds,
        'NX',
      );
      return set === 'OK';
    } catch (error) {
      this.logger.warn(`Update dedupe unavailable (${(error as Error).message}): handling anyway`);
      return true;
    }
  }
}
