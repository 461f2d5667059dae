import { Inject } from '@nestjs/common';
import { Ctx, Help, Start, Update } from 'nestjs-telegraf';
import type { Context } from 'telegraf';
import { xpEventLines, XpRules } from '@ttfd/economy';
import { Conversation } from '../conversation/conversation.service';
import { mainMenu } from '../conversation/keyboards';
import { PlayerDirectory } from '../conversation/player-directory';
import { TELEGRAM_SETTINGS, TelegramSettings } from '../telegram-settings';

@Update()
export class StartUpdate {
  constructor(
    private readonly conversation: Conversation,
    private readonly players: PlayerDirectory,
    private readonly rules: XpRules,
    @Inject(TELEGRAM_SETTINGS) private readonly settings: TelegramSettings,
  ) {}

  /** Creates the account on first contact (or refreshes its name and language), greets, menu. */
  @Start()
  async start(@Ctx() ctx: Context): Promise<void> {
    await this.conversation.handle(ctx, async (turn) => {
      const { created } = await this.players.resolve(turn);
      const key = created ? 'telegram.start.welcome' : 'telegram.start.welcomeBack';
      await turn.reply(turn.t(key, { name: turn.from.first_name }), mainMenu());
    });
  }

  @Help()
  async help(@Ctx() ctx: Context): Promise<void> {
    await this.conversation.handle(ctx, async (turn) => {
      const admin = this.conversation.isAdmin(turn.userId);
      // Double-XP events running now are part of what the bot can do for the player.
      const events = xpEventLines(turn.locale, this.rules.activeEvents(), this.settings.timeZone);
      const text = [
        turn.t('telegram.help'),
        ...(events.length > 0 ? ['', ...events] : []),
        ...(admin ? ['', turn.t('telegram.help.admin')] : []),
      ].join('\n');
      await turn.reply(text, mainMenu());
    });
  }
}
