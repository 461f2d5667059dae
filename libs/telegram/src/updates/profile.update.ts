import { Inject, Logger } from '@nestjs/common';
import { Command, Ctx, Update } from 'nestjs-telegraf';
import type { Context } from 'telegraf';
import { captionOf, type CardRequest, RankCards, type RankCardImage } from '@ttfd/cards';
import { describeError, ThrottledLog } from '@ttfd/common';
import { ProfileService, type ProfileView, xpEventLines, XpRules } from '@ttfd/economy';
import { type AccountIdentities, IdentityService, type IdentityView } from '@ttfd/linking';
import { CardFileIds } from '../cards/card-file-ids';
import { TelegramAvatars } from '../cards/telegram-avatars';
import { Conversation } from '../conversation/conversation.service';
import { PlayerDirectory } from '../conversation/player-directory';
import { progressBar } from '../conversation/progress-bar';
import type { Turn } from '../conversation/turn';
import { TELEGRAM_SETTINGS, TelegramSettings } from '../telegram-settings';

/** What `/profile` reads of the player: the profile and the linked identities. */
interface ProfileRead {
  profile: ProfileView;
  linked: AccountIdentities;
}

/**
 * `/profile` answers at once, never waiting for a card to be drawn (13-20 ms of PNG encoding)
 * nor for Telegram to name the player's photo (a Bot API call; TelegramAvatars remembers it for
 * a while, and until it is known no card of the player can be cached):
 * - when the card of what the profile shows now is cached, it is the answer: a photo with the
 *   profile text as its caption (the full text follows when it is longer than a caption may
 *   be), sent by the file_id Telegram gave it the first time, so it is not even uploaded again;
 * - otherwise (a first /profile, or XP, coins, rank, place, achievements, name or photo changed)
 *   the text profile answers at once, and the new card follows it as a photo when drawn.
 * (A /profile sent again while its unchanged card is still being drawn shares that drawing.)
 * When Telegram refuses the photo, the player has the text profile. The profile is read beside
 * resolving the player (PlayerDirectory.resolveWith), not after it.
 */
@Update()
export class ProfileUpdate {
  private readonly logger = new Logger(ProfileUpdate.name);
  private readonly refusals = new ThrottledLog(this.logger);
  private readonly fileIds = new CardFileIds();

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
      const {
        value: { profile, linked },
      } = await this.players.resolveWith(turn, {
        byIdentity: (externalId) => this.readByIdentity(externalId),
        byAccount: (accountId) => this.readByAccount(accountId),
      });
      // The photo Telegram named lately (undefined: not known, asked for once the text is sent:
      // only the card needs it, and the text shares no time with a Bot API call).
      const recentAvatar = this.avatars.recentSourceOf(turn.userId);
      const events = xpEventLines(turn.locale, this.rules.activeEvents(), this.settings.timeZone);
      const text = [this.profileText(turn, profile, linked.discord), ...events].join('\n');
      const requestWith = (avatar: CardRequest['avatar']): CardRequest => ({
        profile,
        locale: turn.locale,
        displayName: turn.displayName,
        avatar,
      });
      const cached =
        recentAvatar === undefined ? null : await this.cachedCard(requestWith(recentAvatar));
      if (cached) {
        await this.sendCard(turn, cached, text);
        return;
      }
      await turn.reply(text);
      let version: string | undefined;
      await turn.followWithPhoto({
        // Made once the text was sent (answers are held until the update is handled): the
        // photo's name, when Telegram has not given it yet, is asked for here, after the text.
        picture: async () => {
          const request = requestWith(
            recentAvatar === undefined ? await this.avatars.sourceOf(turn.userId) : recentAvatar,
          );
          version = this.cards.versionOf(request);
          const card = await this.drawCard(request);
          return card && { png: card.png, filename: card.fileName };
        },
        onRefused: (error) => this.refused(error),
        onSent: (fileId) => version && this.fileIds.remember(version, fileId),
      });
    });
  }

  /** The profile and the identities of the player's account, read beside resolving it. */
  private async readByIdentity(
    externalId: string,
  ): Promise<{ accountId: string; value: ProfileRead } | null> {
    const [profile, linked] = await Promise.all([
      this.profiles.getByIdentity('telegram', externalId),
      this.identities.identitiesOfIdentity('telegram', externalId),
    ]);
    // Both must have read the same account (a link may move the identity between the two).
    if (!profile || profile.accountId !== linked?.accountId) return null;
    return { accountId: profile.accountId, value: { profile, linked: linked.identities } };
  }

  private async readByAccount(accountId: string): Promise<ProfileRead> {
    const [profile, linked] = await Promise.all([
      this.profiles.get(accountId),
      this.identities.identitiesOf(accountId),
    ]);
    return { profile, linked };
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

  /** The card when it is cached; null when it is not (or its drawing failed). */
  private async cachedCard(request: CardRequest): Promise<RankCardImage | null> {
    // A failed drawing was logged by the request that started it.
    return (await this.cards.cachedCardOf(request)?.catch(() => null)) ?? null;
  }

  /** The card drawn (and cached); null when it cannot be drawn (the text stands alone). */
  private async drawCard(request: CardRequest): Promise<RankCardImage | null> {
    try {
      return await this.cards.cardOf(request);
    } catch (error) {
      this.logger.error(
        `Rank card of account ${request.profile.accountId} failed: ${describeError(error)}`,
      );
      return null;
    }
  }

  /**
   * A cached card as a photo with the profile as caption: by its file_id when Telegram took it
   * before (no upload), else uploaded. The text profile when Telegram refuses the photo.
   */
  private async sendCard(turn: Turn, card: RankCardImage, text: string): Promise<void> {
    const { caption, truncated } = captionOf(text);
    const fileId = this.fileIds.get(card.version);
    await turn.replyWithPhoto({
      picture: fileId ? { fileId } : { png: card.png, filename: card.fileName },
      caption,
      followUp: truncated ? text : undefined,
      fallback: text,
      onRefused: (error) => {
        // A file_id refused (a new bot token, say) is not tried again: the card is uploaded.
        if (fileId) this.fileIds.forget(card.version);
        this.refused(error);
      },
      onSent: (sent) => this.fileIds.remember(card.version, sent),
    });
  }

  private refused(error: unknown): void {
    this.refusals.warn(
      'sendPhoto',
      `Telegram did not take the rank card (${describeError(error)}): the player has the text profile`,
    );
  }
}
