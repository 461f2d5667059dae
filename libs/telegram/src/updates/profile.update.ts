import { Command, Ctx, Update } from 'nestjs-telegraf';
import type { Context } from 'telegraf';
import { ProfileService } from '@ttfd/economy';
import { IdentityService } from '@ttfd/linking';
import { Conversation } from '../conversation/conversation.service';
import { PlayerDirectory } from '../conversation/player-directory';
import { progressBar } from '../conversation/progress-bar';

@Update()
export class ProfileUpdate {
  constructor(
    private readonly conversation: Conversation,
    private readonly players: PlayerDirectory,
    private readonly profiles: ProfileService,
    private readonly identities: IdentityService,
  ) {}

  @Command('profile')
  async profile(@Ctx() ctx: Context): Promise<void> {
    await this.conversation.handle(ctx, async (turn) => {
      const accountId = await this.players.accountId(turn);
      const [profile, linked] = await Promise.all([
        this.profiles.get(accountId),
        this.identities.identitiesOf(accountId),
      ]);
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
      const discord = linked.discord
        ? turn.t('telegram.profile.discordLinked', {
            name:
              linked.discord.username ?? linked.discord.displayName ?? linked.discord.externalId,
          })
        : turn.t('telegram.profile.discordNotLinked');
      await turn.reply(
        turn.t('telegram.profile', {
          name: turn.displayName,
          rank: name(profile.rank),
          rankNumber: profile.rank.id,
          progress: progressBar(profile.nextRank ? profile.progress.percent / 100 : 1),
          next,
          xp: profile.xp,
          coins: profile.coins,
          place: profile.season ? profile.season.place : turn.t('telegram.profile.noPlace'),
          achievements: achievements || turn.t('telegram.profile.noAchievements'),
          discord,
        }),
      );
    });
  }
}
