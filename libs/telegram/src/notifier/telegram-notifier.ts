import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { AchievementsService, rankById } from '@ttfd/economy';
import { Locale, resolveLocale, translate } from '@ttfd/i18n';
import { IdentityService } from '@ttfd/linking';
import { Notification, Notifier, NotifierRegistry } from '@ttfd/sync';
import { RateLimitedSender } from '../sending/rate-limited-sender';

/**
 * The sync's Notifier port for Telegram: rank changes, achievements, link and unlink, whichever
 * platform earned them, in the language stored on the player's Telegram identity. Registered
 * by the bot's module, or alone (TelegramModule.notifierOnly) in a worker process that does not
 * run the bot.
 */
@Injectable()
export class TelegramNotifier extends Notifier implements OnModuleInit, OnModuleDestroy {
  readonly platform = 'telegram' as const;

  constructor(
    private readonly sender: RateLimitedSender,
    private readonly identities: IdentityService,
    private readonly achievements: AchievementsService,
    private readonly registry: NotifierRegistry,
  ) {
    super();
  }

  onModuleInit(): void {
    this.registry.register(this);
  }

  onModuleDestroy(): void {
    this.registry.unregister(this.platform);
  }

  async notify(externalId: string, notification: Notification): Promise<'sent' | 'gone'> {
    const locale = await this.localeOf(externalId);
    return this.sender.deliver(externalId, await this.text(locale, notification));
  }

  private async text(locale: Locale, notification: Notification): Promise<string> {
    switch (notification.kind) {
      case 'rankUp':
      case 'rankDown': {
        const rank = rankById(notification.toRank);
        const key =
          notification.kind === 'rankUp' ? 'telegram.notify.rankUp' : 'telegram.notify.rankDown';
        return translate(locale, key, {
          rank: locale === 'ru' ? rank.nameRu : rank.nameEn,
          xp: notification.xp,
        });
      }
      case 'achievement': {
        const all = await this.achievements.all();
        const found = all.find((a) => a.code === notification.code);
        const name = found ? (locale === 'ru' ? found.nameRu : found.nameEn) : notification.code;
        return translate(locale, 'telegram.notify.achievement', { achievement: name });
      }
      case 'linked':
        return translate(locale, 'telegram.notify.linked');
      case 'unlinked':
        return translate(locale, 'telegram.notify.unlinked');
      case 'linkCodeBurned':
        return translate(locale, 'telegram.notify.linkCodeBurned');
    }
  }

  private async localeOf(externalId: string): Promise<Locale> {
    return resolveLocale((await this.identities.localeOf('telegram', externalId)) ?? undefined);
  }
}
