import { Command, Ctx, Help, Start, Update } from 'nestjs-telegraf';
import type { Context } from 'telegraf';
import { Conversation } from '../conversation/conversation.service';
import { mainMenu } from '../conversation/keyboards';
import { PlayerDirectory } from '../conversation/player-directory';

@Update()
export class StartUpdate {
  constructor(
    private readonly conversation: Conversation,
    private readonly players: PlayerDirectory,
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
      const text = admin
        ? `${turn.t('telegram.help')}\n\n${turn.t('telegram.help.admin')}`
        : turn.t('telegram.help');
      await turn.reply(text, mainMenu());
    });
  }

  // Telegram clients offer /settings on some platforms; it is simply help here.
  @Command('settings')
  async settings(@Ctx() ctx: Context): Promise<void> {
    await this.help(ctx);
  }
}
