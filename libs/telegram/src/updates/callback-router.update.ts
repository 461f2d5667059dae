import { Ctx, On, Update } from 'nestjs-telegraf';
import type { Context } from 'telegraf';
import { CallbackRegistry } from '../callbacks/callback-registry';
import { Conversation } from '../conversation/conversation.service';

/**
 * Every button press lands here. Forged, foreign or outdated data gets a clear answer and
 * changes nothing; valid data goes to the action's handler.
 */
@Update()
export class CallbackRouterUpdate {
  constructor(
    private readonly conversation: Conversation,
    private readonly registry: CallbackRegistry,
  ) {}

  @On('callback_query')
  async onCallback(@Ctx() ctx: Context): Promise<void> {
    await this.conversation.handle(ctx, async (turn) => {
      const query = ctx.callbackQuery;
      const data = query && 'data' in query ? query.data : undefined;
      const decoded = this.conversation.codec.decode(data, turn.userId);
      if (!decoded.ok) {
        await turn.answer(turn.t('telegram.button.invalid'), true);
        return;
      }
      const handler = this.registry.get(decoded.payload.action);
      if (!handler) {
        await turn.answer(turn.t('telegram.button.unknown'), true);
        return;
      }
      await handler(turn, decoded.payload.args, query?.message as never);
    });
  }
}
