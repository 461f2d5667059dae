import { Inject } from '@nestjs/common';
import { Command, Ctx, Update } from 'nestjs-telegraf';
import type { Context } from 'telegraf';
import { SeasonStandings } from '@ttfd/economy';
import { formatCommunityTime } from '@ttfd/i18n';
import { IdentityService } from '@ttfd/linking';
import { Conversation } from '../conversation/conversation.service';
import { PlayerDirectory } from '../conversation/player-directory';
import { TELEGRAM_SETTINGS, TelegramSettings } from '../telegram-settings';

@Update()
export class TopUpdate {
  constructor(
    private readonly conversation: Conversation,
    private readonly players: PlayerDirectory,
    private readonly seasons: SeasonStandings,
    private readonly identities: IdentityService,
    @Inject(TELEGRAM_SETTINGS) private readonly settings: TelegramSettings,
  ) {}

  /** The season's top 10, the player's own place (also when outside the top), and its end. */
  @Command('top')
  async top(@Ctx() ctx: Context): Promise<void> {
    await this.conversation.handle(ctx, async (turn) => {
      const accountId = await this.players.accountId(turn);
      const [page, own] = await Promise.all([
        this.seasons.standings('current', 10),
        this.seasons.placeOf(accountId),
      ]);
      const lines = await Promise.all(
        page.entries.map(async (entry) => {
          const ids = await this.identities.identitiesOf(entry.accountId);
          const identity = ids.telegram ?? ids.discord;
          const name =
            identity?.displayName ??
            identity?.username ??
            turn.t('telegram.top.anonymous', { id: entry.accountId });
          return turn.t('telegram.top.line', { place: entry.place, name, xp: entry.xp });
        }),
      );
      const body = lines.length > 0 ? lines.join('\n') : turn.t('telegram.top.empty');
      const you = own
        ? turn.t('telegram.top.you', { place: own.place, xp: own.xp })
        : turn.t('telegram.top.youNone');
      const ends = turn.t('telegram.top.seasonEnds', {
        time: formatCommunityTime(page.season.endsAt, this.settings.timeZone, turn.locale),
      });
      await turn.reply(`${turn.t('telegram.top.title')}\n${body}\n\n${you}\n${ends}`);
    });
  }
}
