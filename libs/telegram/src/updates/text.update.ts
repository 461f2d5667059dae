import { Ctx, Next, On, Update } from 'nestjs-telegraf';
import type { Context } from 'telegraf';
import { commandOf, KNOWN_COMMANDS } from '../conversation/bot-commands';
import { Conversation } from '../conversation/conversation.service';
import { TextInputRouter } from '../conversation/text-input-router';

/**
 * Text that no command handler took. Registered last (it is the last provider of the module);
 * if it ever ran before a command handler, it steps aside for known commands instead of
 * swallowing them.
 */
@Update()
export class TextUpdate {
  constructor(
    private readonly conversation: Conversation,
    private readonly inputs: TextInputRouter,
  ) {}

  @On('text')
  async onText(@Ctx() ctx: Context, @Next() next: () => Promise<void>): Promise<void> {
    const text = ctx.text ?? '';
    const command = commandOf(text);
    if (command !== undefined && KNOWN_COMMANDS.has(command)) {
      await next();
      return;
    }
    await this.conversation.handle(ctx, async (turn) => {
      if (command !== undefined) {
        await turn.reply(turn.t('telegram.unknownCommand', { command: `/${command}` }));
        return;
      }
      await this.inputs.handle(turn, text);
    });
  }
}
