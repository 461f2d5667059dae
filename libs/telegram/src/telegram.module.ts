import { DynamicModule, Logger, Module, OnModuleInit } from '@nestjs/common';
import { getBotToken, TelegrafModule } from 'nestjs-telegraf';
import { Telegraf } from 'telegraf';
import { CardsModule } from '@ttfd/cards';
import { AppConfig } from '@ttfd/config';
import { EconomyModule } from '@ttfd/economy';
import { GamesModule } from '@ttfd/games';
import { LinkingModule } from '@ttfd/linking';
import { SyncModule } from '@ttfd/sync';
import { TelegramAvatars } from './cards/telegram-avatars';
import { TelegramNotifier } from './notifier/telegram-notifier';
import { CallbackRegistry } from './callbacks/callback-registry';
import { Conversation } from './conversation/conversation.service';
import { PlayerDirectory } from './conversation/player-directory';
import { TextInputRouter } from './conversation/text-input-router';
import { Pacer, RealTimePacer } from './sending/pacer';
import { RateLimitedSender } from './sending/rate-limited-sender';
import { TELEGRAM_SETTINGS, telegramSettings } from './telegram-settings';
import { TelegramApiWatch } from './transport/telegram-api-watch';
import { TelegramRuntime } from './transport/telegram-runtime.service';
import { UpdateDedupe } from './transport/update-dedupe';
import { UpdateIntake } from './transport/update-intake.service';
import { UserFloodGuard } from './transport/user-flood-guard';
import { WebhookController } from './transport/webhook.controller';
import { CallbackRouterUpdate } from './updates/callback-router.update';
import { DailyUpdate } from './updates/daily.update';
import { GamesUpdate } from './updates/games.update';
import { LinkUpdate } from './updates/link.update';
import { ProfileUpdate } from './updates/profile.update';
import { StatsUpdate } from './updates/stats.update';
import { TopUpdate } from './updates/top.update';
import { TelegramAnnouncementChannel } from './notifier/telegram-announcement.channel';
import { SettingsUpdate } from './updates/settings.update';
import { StartUpdate } from './updates/start.update';
import { TextUpdate } from './updates/text.update';

/** Feature handlers first; TextUpdate (the fallback for any other text) must stay last. */
const UPDATES = [
  StartUpdate,
  ProfileUpdate,
  GamesUpdate,
  DailyUpdate,
  TopUpdate,
  SettingsUpdate,
  LinkUpdate,
  StatsUpdate,
  CallbackRouterUpdate,
  TextUpdate,
];

/** Says once why there is no bot, so an operator is never left guessing. */
@Module({})
class TelegramOffModule implements OnModuleInit {
  onModuleInit(): void {
    new Logger('TelegramModule').log('Telegram bot off: TELEGRAM_BOT_TOKEN is not set');
  }
}

@Module({})
class TelegramUpdatesModule {}

/**
 * The Telegram bot: a thin conversation layer over economy, games and linking. Loaded only
 * under the `telegram` role (see apps/server role-modules).
 */
/** See TelegramModule.notifierOnly. */
@Module({})
class TelegramNotifierOnlyModule {}

@Module({})
export class TelegramModule {
  static forRoot(config: AppConfig): DynamicModule {
    if (!config.telegram) return { module: TelegramOffModule };
    const settings = telegramSettings(config);
    const updates: DynamicModule = {
      module: TelegramUpdatesModule,
      imports: [CardsModule, EconomyModule, GamesModule, LinkingModule, SyncModule],
      providers: [
        { provide: TELEGRAM_SETTINGS, useValue: settings },
        { provide: Pacer, useClass: RealTimePacer },
        RateLimitedSender,
        Conversation,
        CallbackRegistry,
        TextInputRouter,
        PlayerDirectory,
        TelegramAvatars,
        TelegramApiWatch,
        UpdateDedupe,
        UserFloodGuard,
        UpdateIntake,
        TelegramRuntime,
        TelegramNotifier,
        TelegramAnnouncementChannel,
        ...UPDATES,
      ],
      controllers: settings.webhookUrl ? [WebhookController] : [],
      exports: [RateLimitedSender, TELEGRAM_SETTINGS],
    };
    return {
      module: TelegramModule,
      imports: [
        TelegrafModule.forRoot({
          token: settings.token,
          // Never launched by the library: TelegramRuntime polls or serves the webhook itself.
          launchOptions: false,
          include: [TelegramUpdatesModule],
          options: { telegram: { apiRoot: settings.apiRoot, webhookReply: false } },
        }),
        updates,
      ],
    };
  }

  /**
   * The notifier alone, for a process that runs the `worker` role without the `telegram` role:
   * rank-ups, achievements and link news reach Telegram through the Bot API (an unlaunched
   * client: no polling, no webhook, no commands).
   */
  static notifierOnly(config: AppConfig): DynamicModule {
    if (!config.telegram) return { module: TelegramOffModule };
    const settings = telegramSettings(config);
    return {
      module: TelegramNotifierOnlyModule,
      imports: [EconomyModule, LinkingModule],
      providers: [
        { provide: TELEGRAM_SETTINGS, useValue: settings },
        {
          provide: getBotToken(),
          useValue: new Telegraf(settings.token, {
            telegram: { apiRoot: settings.apiRoot, webhookReply: false },
          }),
        },
        TelegramApiWatch,
        { provide: Pacer, useClass: RealTimePacer },
        RateLimitedSender,
        TelegramNotifier,
        TelegramAnnouncementChannel,
      ],
    };
  }

  /** For processes whose config has no bot token (the role is then off): one log line. */
  static off(): DynamicModule {
    return { module: TelegramOffModule };
  }
}
