import { Command, Ctx, Update } from 'nestjs-telegraf';
import type { Context } from 'telegraf';
import { SyncStatsService } from '@ttfd/sync';
import { Conversation } from '../conversation/conversation.service';

const WINDOW_MINUTES = 15;

@Update()
export class StatsUpdate {
  constructor(
    private readonly conversation: Conversation,
    private readonly syncStats: SyncStatsService,
  ) {}

  /** Admins only (TELEGRAM_ADMIN_IDS); everyone else gets a clear refusal, nothing more. */
  @Command('stats')
  async stats(@Ctx() ctx: Context): Promise<void> {
    await this.conversation.handle(ctx, async (turn) => {
      if (!this.conversation.isAdmin(turn.userId)) {
        await turn.reply(turn.t('telegram.stats.denied'));
        return;
      }
      const stats = await this.syncStats.stats(WINDOW_MINUTES);
      await turn.reply(
        turn.t('telegram.stats', {
          window: stats.windowMinutes,
          pending: stats.byStatus.pending,
          processing: stats.byStatus.processing,
          completed: stats.byStatus.completed,
          failed: stats.byStatus.failed,
          lag: stats.lagMs.p50 ?? 0,
        }),
      );
    });
  }
}
