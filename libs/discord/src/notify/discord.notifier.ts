import { Inject, Injectable } from '@nestjs/common';
import { DiscordAPIError, REST, RESTJSONErrorCodes, Routes } from 'discord.js';
import { rankById } from '@ttfd/economy';
import { AchievementsService } from '@ttfd/economy';
import { resolveLocale, translate, type Locale } from '@ttfd/i18n';
import { IdentityService } from '@ttfd/linking';
import { Notification, Notifier } from '@ttfd/sync';
import { DiscordBudget } from '../rest/discord-budget';
import { DISCORD_DM_REST } from '../rest/discord-rest';
import { DmChannels } from './dm-channels';

/** Refusals that will not change by retrying: DMs closed, user unknown. */
const GONE_CODES: ReadonlySet<number> = new Set([
  RESTJSONErrorCodes.CannotSendMessagesToThisUser,
  RESTJSONErrorCodes.UnknownUser,
]);

/**
 * `Notifier` of @ttfd/sync by direct message, in the language the player's Discord client uses
 * (stored on the identity by the last slash command). A user who closed DMs is 'gone'.
 *
 * One call per message: the DM channel comes from DmChannels' cache (opened again once when
 * Discord answers 10003 Unknown Channel). Each message carries `nonce = 'n' + event id` with
 * `enforce_nonce`, on every attempt: Discord returns the first message instead of creating a
 * second when the same event is sent again within a few minutes (an answer lost, a worker
 * killed between sending and settling). A retry after a longer outage may repeat the message.
 */
@Injectable()
export class DiscordNotifier extends Notifier {
  readonly platform = 'discord' as const;

  constructor(
    @Inject(DISCORD_DM_REST) private readonly rest: REST,
    private readonly channels: DmChannels,
    private readonly identities: IdentityService,
    private readonly achievements: AchievementsService,
    private readonly budget: DiscordBudget,
  ) {
    super();
  }

  async notify(
    externalId: string,
    notification: Notification,
    eventId?: string,
  ): Promise<'sent' | 'gone'> {
    const locale = await this.localeOf(externalId);
    const body = {
      content: await this.render(locale, notification),
      // 'n' + a bigint id: at most 20 characters, within Discord's 25.
      ...(eventId !== undefined ? { nonce: `n${eventId}`, enforce_nonce: true } : {}),
    };
    try {
      // Plain REST (the DM channel, then the message): works without a gateway session.
      try {
        await this.post(externalId, body);
      } catch (error) {
        if (!isCode(error, RESTJSONErrorCodes.UnknownChannel)) throw error;
        this.channels.forget(externalId);
        await this.post(externalId, body);
      }
      return 'sent';
    } catch (error) {
      if (error instanceof DiscordAPIError && typeof error.code === 'number') {
        if (GONE_CODES.has(error.code)) return 'gone';
      }
      throw error;
    }
  }

  private async post(externalId: string, body: object): Promise<void> {
    const channelId = await this.channels.of(externalId);
    await this.budget.dmCall();
    await this.rest.post(Routes.channelMessages(channelId), { body });
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

function isCode(error: unknown, code: number): boolean {
  return error instanceof DiscordAPIError && error.code === code;
}
