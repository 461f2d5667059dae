import { Inject, Injectable } from '@nestjs/common';
import { DiscordAPIError, REST, RESTJSONErrorCodes, Routes, type APIChannel } from 'discord.js';
import { rankById } from '@ttfd/economy';
import { AchievementsService } from '@ttfd/economy';
import { resolveLocale, translate, type Locale } from '@ttfd/i18n';
import { IdentityService } from '@ttfd/linking';
import { Notification, Notifier } from '@ttfd/sync';
import { DISCORD_REST } from '../rest/discord-rest';

/** Refusals that will not change by retrying: DMs closed, user unknown. */
const GONE_CODES: ReadonlySet<number> = new Set([
  RESTJSONErrorCodes.CannotSendMessagesToThisUser,
  RESTJSONErrorCodes.UnknownUser,
]);

/**
 * `Notifier` of @ttfd/sync by direct message, in the language the player's Discord client uses
 * (stored on the identity by the last slash command). A user who closed DMs is 'gone'.
 */
@Injectable()
export class DiscordNotifier extends Notifier {
  readonly platform = 'discord' as const;

  constructor(
    @Inject(DISCORD_REST) private readonly rest: REST,
    private readonly identities: IdentityService,
    private readonly achievements: AchievementsService,
  ) {
    super();
  }

  async notify(externalId: string, notification: Notification): Promise<'sent' | 'gone'> {
    const locale = await this.localeOf(externalId);
    const text = await this.render(locale, notification);
    try {
      // Plain REST (open the DM channel, post to it): works without a gateway session.
      const channel = (await this.rest.post(Routes.userChannels(), {
        body: { recipient_id: externalId },
      })) as APIChannel;
      await this.rest.post(Routes.channelMessages(channel.id), { body: { content: text } });
      return 'sent';
    } catch (error) {
      if (error instanceof DiscordAPIError && typeof error.code === 'number') {
        if (GONE_CODES.has(error.code)) return 'gone';
      }
      throw error;
    }
  }

  private async localeOf(externalId: string): Promise<Locale> {
    return resolveLocale((await this.identities.localeOf('discord', externalId)) ?? undefined);
  }

  private async render(locale: Locale, notification: Notification): Promise<string> {
    const rankName = (id: number) => {
      const rank = rankById(id);
      return locale === 'ru' ? rank.nameRu : rank.nameEn;
    };
    switch (notification.kind) {
      case 'rankUp':
        return translate(locale, 'discord.notify.rankUp', {
          rank: rankName(notification.toRank),
          xp: notification.xp,
        });
      case 'rankDown':
        return translate(locale, 'discord.notify.rankDown', {
          rank: rankName(notification.toRank),
          xp: notification.xp,
        });
      case 'achievement': {
        const found = (await this.achievements.all()).find((a) => a.code === notification.code);
        const name = found ? (locale === 'ru' ? found.nameRu : found.nameEn) : notification.code;
        return translate(locale, 'discord.notify.achievement', { name });
      }
      case 'linked':
        return translate(locale, 'discord.notify.linked');
      case 'unlinked':
        return translate(locale, 'discord.notify.unlinked');
      case 'linkCodeBurned':
        return translate(locale, 'discord.notify.linkCodeBurned');
    }
  }
}
