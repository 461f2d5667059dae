import { Injectable, Logger } from '@nestjs/common';
import { Telegram } from 'telegraf';
import { AppConfig } from '@ttfd/config';

/**
 * The bot's username, which the Telegram Login Widget needs (`data-telegram-login`). Asked of
 * the Bot API (getMe) rather than configured, so it can never disagree with TELEGRAM_BOT_TOKEN
 * (the token that checks the widget's hash). Cached once known; a failure is retried on the
 * next ask, a minute later at the earliest, so an unreachable Bot API costs one call a minute.
 */
@Injectable()
export class TelegramLoginBot {
  private readonly logger = new Logger(TelegramLoginBot.name);
  private username: string | null = null;
  private lastFailureAt = 0;
  private inFlight: Promise<string | null> | null = null;

  constructor(private readonly config: AppConfig) {}

  async botUsername(): Promise<string | null> {
    const telegram = this.config.telegram;
    if (!telegram) return null;
    if (this.username) return this.username;
    if (Date.now() - this.lastFailureAt < 60_000) return null;
    this.inFlight ??= this.ask(telegram.token, telegram.apiRoot).finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async ask(token: string, apiRoot: string): Promise<string | null> {
    try {
      const me = await Promise.race([
        new Telegram(token, { apiRoot }).getMe(),
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('getMe timed out')), 3_000).unref(),
        ),
      ]);
      this.username = me.username;
      return this.username;
    } catch (error) {
      this.lastFailureAt = Date.now();
      this.logger.warn(`Telegram getMe failed; the login widget stays hidden: ${String(error)}`);
      return null;
    }
  }
}
