import { Inject, Logger } from '@nestjs/common';
import { Command, Ctx, Update } from 'nestjs-telegraf';
import type { Context } from 'telegraf';
import { captionOf, RankCards, type RankCardImage } from '@ttfd/cards';
import { describeError, ThrottledLog } from '@ttfd/common';
import { ProfileService, type ProfileView, xpEventLines, XpRules } from '@ttfd/economy';
import { IdentityService, type IdentityView } from '@ttfd/linking';
import { TelegramAvatars } from '../cards/telegram-avatars';
import { Conversation } from '../conversation/conversation.service';
import { PlayerDirectory } from '../conversation/player-directory';
import { progressBar } from '../conversation/progress-bar';
import type { Turn } from '../conversation/turn';
import { TELEGRAM_SETTINGS, TelegramSettings } from '../telegram-settings';

/**
 * `/profile`: the rank card as a photo with the profile text as its caption (the full text
 * follows as a message when it is longer than a caption may be). When the card cannot be drawn
 * or Telegram refuses the photo, the player gets the text profile.
 */
@Update()
export class ProfileUpdate {
  private readonly logger = new Logger(ProfileUpdate.name);
  private readonly refusals = new ThrottledLog(this.logger);

  constructor(
    private readonly conversation: Conversation,
    private readonly players: PlayerDirectory,
    private readonly profiles: ProfileService,
    private readonly identities: IdentityService,
    private readonly cards: RankCards,
    private readonly avatars: TelegramAvatars,
    private readonly rules: XpRules,
    @Inject(TELEGRAM_SETTINGS) private readonly settings: TelegramSettings,
  ) {}

  @Command('profile')
  async profile(@Ctx() ctx: Context): Promise<void> {
    await this.conversation.handle(ctx, async (turn) => {
      const accountId = await this.players.accountId(turn);
      const [profile, linked] = await Promise.all([
        this.profiles.get(accountId),
        this.identities.identitiesOf(accountId),
      ]);
      const events = xpEventLines(turn.locale, this.rules.activeEvents(), this.settings.timeZone);
      const text = [this.profileText(turn, profile, linked.discord), ...events].join('\n');
      const card = await this.card(turn, profile);
      if (card) await this.sendCard(turn, card, text);
      else await turn.reply(text);
    });
  }

  private profileText(turn: Turn, profile: ProfileView, discord: IdentityView | undefined): string {
    const name = (rank: { nameRu: string; nameEn: string }) =>
      turn.locale === 'ru' ? rank.nameRu : rank.nameEn;
    const next = profile.nextRank
      ? turn.t('telegram.profile.next', {
          rank: name(profile.nextRank),
          xp: profile.nextRank.minXp - profile.xp,
        })
      : turn.t('telegram.profile.maxRank');
    const achievements = profile.achievements
      .map((a) => (turn.locale === 'ru' ? a.nameRu : a.nameEn))
      .join(', ');
    const linked = discord
      ? turn.t('telegram.profile.discordLinked', {
          name: discord.username ?? discord.displayName ?? discord.externalId,
        })
      : turn.t('telegram.profile.discordNotLinked');
    return turn.t('telegram.profile', {
      name: turn.displayName,
      rank: name(profile.rank),
      rankNumber: profile.rank.id,
      progress: progressBar(profile.nextRank ? profile.progress.percent / 100 : 1),
      next,
      xp: profile.xp,
      coins: profile.coins,
      place: profile.season ? profile.season.place : turn.t('telegram.profile.noPlace'),
      achievements: achievements || turn.t('telegram.profile.noAchievements'),
      discord: linked,
    });
  }

  /** The card, or null when it cannot be drawn (the text answers instead). */
  private async card(turn: Turn, profile: ProfileView): Promise<RankCardImage | null> {
    try {
      return await this.cards.cardOf({
        profile,
        locale: turn.locale,
        displayName: turn.displayName,
        avatar: await this.avatars.sourceOf(turn.userId),
      });
    } catch (error) {
      this.logger.error(
        `Rank card of account ${profile.accountId} failed: ${describeError(error)}`,
      );
      return null;
    }
  }

  /** The card as a photo; the text profile when Telegram refuses the photo. */
  private async sendCard(turn: Turn, card: RankCardImage, text: string): Promise<void> {
    const { caption, truncated } = captionOf(text);
    await turn.replyWithPhoto({
      png: card.png,
      filename: card.fileName,
      caption,
      followUp: truncated ? text : undefined,
      fallback: text,
      onRefused: (error) =>
        this.refusals.warn(
          'sendPhoto',
          `Telegram did not take the rank card (${describeError(error)}): text profile instead`,
        ),
    });
  }
}
