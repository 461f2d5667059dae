import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectBot } from 'nestjs-telegraf';
import { Telegraf } from 'telegraf';
import { PlatformCalls, watchTelegram } from '@ttfd/observability';
import { TELEGRAM_SETTINGS, TelegramSettings } from '../telegram-settings';

/**
 * Every Bot API call of the bot goes through its one `Telegram` instance (the sender, the
 * notifier, the poller, start-up): watched once here, so each is bounded in time and counted.
 */
@Injectable()
export class TelegramApiWatch implements OnModuleInit {
  constructor(
    @InjectBot() private readonly bot: Telegraf,
    @Inject(TELEGRAM_SETTINGS) private readonly settings: TelegramSettings,
    private readonly calls: PlatformCalls,
  ) {}

  onModuleInit(): void {
    watchTelegram(this.bot.telegram, this.calls, this.settings.callTimeoutMs);
  }
}
