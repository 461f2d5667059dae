import { Command, Ctx, Update } from 'nestjs-telegraf';
import type { Context } from 'telegraf';
import { DailyService } from '@ttfd/games';
import { Conversation } from '../conversation/conversation.service';
import { rewardText } from '../conversation/format';
import { PlayerDirectory } from '../conversation/player-directory';

@Update()
export class DailyUpdate {
  constructor(
    private readonly conversation: Conversation,
    private readonly players: PlayerDirectory,
    private readonly daily: DailyService,
  ) {}

  /** Once a day by the domain's key; a second claim is ALREADY_CLAIMED with the next time. */
  @Command('daily')
  async claim(@Ctx() ctx: Context): Promise<void> {
    await this.conversation.handle(ctx, async (turn) => {
      const result = await this.daily.claim(await this.players.accountId(turn), 'telegram');
      await turn.reply(
        turn.t('telegram.daily.claimed', {
          reward: rewardText(turn.locale, result.xp, result.coins),
          count: result.streak,
        }),
      );
    });
  }
}
