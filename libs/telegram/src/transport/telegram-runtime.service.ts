import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
  OnModuleInit,
} from '@nestjs/common';
import { setTimeout as delay } from 'node:timers/promises';
import { InjectBot } from 'nestjs-telegraf';
import { Telegraf } from 'telegraf';
import { HealthRegistry, PlatformCalls, type HealthState } from '@ttfd/observability';
import { botCommands } from '../conversation/bot-commands';
import { TELEGRAM_SETTINGS, TelegramSettings, WEBHOOK_PATH } from '../telegram-settings';
import { ALLOWED_UPDATES } from './allowed-updates';
import { UpdateIntake } from './update-intake.service';
import { UpdatePoller } from './update-poller';

/**
 * Starts and stops the bot. We never call telegraf's launch(): polling is our UpdatePoller and
 * the webhook is a route of the Nest HTTP server, both feeding UpdateIntake (dedupe first).
 *
 * Start-up runs in the background so a slow or unreachable Telegram never blocks the app's boot;
 * the `telegram` readiness check says whether the bot is actually connected.
 */
@Injectable()
export class TelegramRuntime implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(TelegramRuntime.name);
  private readonly stopping = new AbortController();
  private poller: UpdatePoller | undefined;
  private starting: Promise<void> | undefined;
  /** Why the bot is not (yet) connected, or undefined once it is. */
  private problem: string | undefined = 'starting';

  constructor(
    @InjectBot() private readonly bot: Telegraf,
    @Inject(TELEGRAM_SETTINGS) private readonly settings: TelegramSettings,
    private readonly intake: UpdateIntake,
    private readonly health: HealthRegistry,
    private readonly calls: PlatformCalls,
  ) {}

  onModuleInit(): void {
    // nestjs-telegraf's shutdown hook calls bot.stop(), which throws "Bot is not running!" for
    // a bot that launch() never started (ours, in both modes). Our own stop happens in
    // onModuleDestroy; here the library's call becomes a no-op so app.close() stays clean.
    this.bot.stop = () => undefined;
    // telegraf would swallow a handler's error here; UpdateIntake must see it to tell an outage
    // (refuse the update, Telegram delivers it again) from a bug (log it, acknowledge).
    this.bot.catch((error) => {
      throw error;
    });
    this.health.register('telegram', async () => this.readiness(), { critical: false });
  }

  onApplicationBootstrap(): void {
    this.starting = this.startWithRetry();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping.abort();
    await this.starting;
    await this.poller?.stop();
    await this.intake.drain();
  }

  get mode(): 'polling' | 'webhook' {
    return this.settings.webhookUrl ? 'webhook' : 'polling';
  }

  /**
   * Check `telegram` of /health: `degraded` while the bot is not connected, polling fails, or
   * many of the last minute's Bot API calls met trouble. Not critical: the process stays ready.
   */
  private readiness(): HealthState {
    const api = this.calls.health('telegram');
    const problem =
      this.problem ??
      (this.poller && !this.poller.status.ok
        ? (this.poller.status.detail ?? 'polling failed')
        : undefined);
    return problem ? { ...api, status: 'degraded', detail: problem } : api;
  }

  private async startWithRetry(): Promise<void> {
    for (let attempt = 1; !this.stopping.signal.aborted; attempt++) {
      try {
        await this.start();
        return;
      } catch (error) {
        const waitSeconds = Math.min(60, 2 ** Math.min(attempt - 1, 6));
        this.problem = (error as Error).message;
        this.logger.error(
          `Telegram bot could not start (${(error as Error).message}); retrying in ${waitSeconds} s`,
        );
        await delay(waitSeconds * 1000, undefined, { signal: this.stopping.signal }).catch(
          () => undefined,
        );
      }
    }
  }

  private async start(): Promise<void> {
    this.bot.botInfo = await this.bot.telegram.getMe();
    await this.publishCommands();
    if (this.stopping.signal.aborted) return;
    if (this.mode === 'webhook') {
      const url = `${this.settings.webhookUrl!.replace(/\/+$/, '')}/${WEBHOOK_PATH}`;
      await this.bot.telegram.setWebhook(url, {
        secret_token: this.settings.webhookSecret,
        allowed_updates: ALLOWED_UPDATES,
      });
      this.logger.log(
        `Telegram bot @${this.bot.botInfo.username} receives updates by webhook at ${url}`,
      );
    } else {
      // getUpdates is refused while a webhook is set (e.g. left by an earlier webhook run).
      await this.bot.telegram.deleteWebhook({ drop_pending_updates: false });
      this.poller = new UpdatePoller(this.bot, this.settings.pollTimeoutSeconds, this.intake);
      this.poller.start();
      this.logger.log(
        `Telegram bot @${this.bot.botInfo.username} receives updates by long polling`,
      );
    }
    this.problem = undefined;
  }

  /** Cosmetic: the command menu in both languages. A failure is logged, never fatal. */
  private async publishCommands(): Promise<void> {
    const sets = [
      { commands: botCommands('ru') },
      { commands: botCommands('ru'), language_code: 'ru' },
      { commands: botCommands('en'), language_code: 'en' },
    ];
    for (const { commands, language_code } of sets) {
      try {
        await this.bot.telegram.setMyCommands(commands, language_code ? { language_code } : {});
      } catch (error) {
        this.logger.warn(
          `setMyCommands (${language_code ?? 'default'}) failed: ${(error as Error).message}`,
        );
      }
    }
  }
}
