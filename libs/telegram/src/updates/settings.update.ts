import { OnModuleInit } from '@nestjs/common';
import { Command, Ctx, Update } from 'nestjs-telegraf';
import type { Context } from 'telegraf';
import type { InlineKeyboardButton, Message } from 'telegraf/types';
import { PlayerSettings, PlayerSettingsService } from '@ttfd/economy';
import { CallbackRegistry } from '../callbacks/callback-registry';
import { Conversation } from '../conversation/conversation.service';
import { PlayerDirectory } from '../conversation/player-directory';
import type { Turn } from '../conversation/turn';

/** Button action: toggle one setting ('dm' or 'top'). */
const TOGGLE = 's';

/**
 * `/settings`: the player's own switches, shared with Discord's /settings and the dashboard:
 * direct messages on/off (roles still follow) and the name on public leaderboards.
 */
@Update()
export class SettingsUpdate implements OnModuleInit {
  constructor(
    private readonly conversation: Conversation,
    private readonly players: PlayerDirectory,
    private readonly callbacks: CallbackRegistry,
    private readonly settings: PlayerSettingsService,
  ) {}

  onModuleInit(): void {
    this.callbacks.register(TOGGLE, (turn, [which], message) => this.toggle(turn, which, message));
  }

  @Command('settings')
  async show(@Ctx() ctx: Context): Promise<void> {
    await this.conversation.handle(ctx, async (turn) => {
      const current = await this.settings.get(await this.players.accountId(turn));
      const { text, buttons } = this.view(turn, current);
      await turn.reply(text, { reply_markup: { inline_keyboard: buttons } });
    });
  }

  private async toggle(turn: Turn, which: string | undefined, message: Message | undefined) {
    if (which !== 'dm' && which !== 'top') {
      await turn.answer(turn.t('telegram.button.unknown'), true);
      return;
    }
    const accountId = await this.players.accountId(turn);
    const current = await this.settings.get(accountId);
    const next = await this.settings.set(
      accountId,
      which === 'dm'
        ? { dmOptOut: !current.dmOptOut }
        : { leaderboardHidden: !current.leaderboardHidden },
    );
    await turn.answer(turn.t('settings.saved'));
    const { text, buttons } = this.view(turn, next);
    if (message) await turn.edit(message.message_id, text, buttons);
    else await turn.reply(text, { reply_markup: { inline_keyboard: buttons } });
  }

  private view(
    turn: Turn,
    settings: PlayerSettings,
  ): { text: string; buttons: InlineKeyboardButton[][] } {
    const text = [
      turn.t('settings.title'),
      turn.t(settings.dmOptOut ? 'settings.dm.off' : 'settings.dm.on'),
      turn.t(settings.leaderboardHidden ? 'settings.top.hidden' : 'settings.top.shown'),
    ].join('\n');
    return {
      text,
      buttons: [
        [turn.button(turn.t('settings.toggle.dm'), TOGGLE, ['dm'])],
        [turn.button(turn.t('settings.toggle.top'), TOGGLE, ['top'])],
      ],
    };
  }
}
