import { Inject, OnModuleInit } from '@nestjs/common';
import { Command, Ctx, Update } from 'nestjs-telegraf';
import type { Context } from 'telegraf';
import { Markup } from 'telegraf';
import type { Message } from 'telegraf/types';
import { formatCommunityTime } from '@ttfd/i18n';
import { AccountUnlink, formatLinkCode, LinkCodes, LinkRedeemer } from '@ttfd/linking';
import { CallbackRegistry } from '../callbacks/callback-registry';
import { commandArgs } from '../conversation/bot-commands';
import { Conversation } from '../conversation/conversation.service';
import type { Turn } from '../conversation/turn';
import { TELEGRAM_SETTINGS, TelegramSettings } from '../telegram-settings';

const CONFIRM_UNLINK = 'u';

@Update()
export class LinkUpdate implements OnModuleInit {
  constructor(
    private readonly conversation: Conversation,
    private readonly callbacks: CallbackRegistry,
    private readonly codes: LinkCodes,
    private readonly redeemer: LinkRedeemer,
    private readonly unlinking: AccountUnlink,
    @Inject(TELEGRAM_SETTINGS) private readonly settings: TelegramSettings,
  ) {}

  onModuleInit(): void {
    this.callbacks.register(CONFIRM_UNLINK, (turn, _args, message) => this.unlink(turn, message));
  }

  /**
   * `/link`: a code to type in Discord. `/link CODE`: redeem a code issued in Discord. Codes live
   * only in the private chat: in a group the bot says to ask in private, and a code typed there is
   * burned (its owner is told privately to get a new one).
   */
  @Command('link')
  async link(@Ctx() ctx: Context): Promise<void> {
    await this.conversation.handle(ctx, async (turn) => {
      const code = commandArgs(ctx.text ?? '');
      if (ctx.chat && ctx.chat.type !== 'private') {
        if (code) {
          await this.codes.burn(code, 'telegram');
          await turn.reply(turn.t('telegram.link.burnedInGroup'));
        } else {
          await turn.reply(turn.t('telegram.link.privateOnly'));
        }
        return;
      }
      if (code) {
        await this.redeemer.redeem('telegram', turn.externalId, code);
        await turn.reply(turn.t('telegram.link.done'));
        return;
      }
      const issued = await this.codes.issueCode('telegram', turn.externalId);
      await turn.reply(
        turn.t('telegram.link.code', {
          code: formatLinkCode(issued.code),
          expiresAt: formatCommunityTime(issued.expiresAt, this.settings.timeZone, turn.locale),
        }),
      );
    });
  }

  /**
   * Asks first (unlinking splits the Discord side off into an empty account), but only when
   * something is linked: otherwise the refusal comes at once.
   */
  @Command('unlink')
  async confirmUnlink(@Ctx() ctx: Context): Promise<void> {
    await this.conversation.handle(ctx, async (turn) => {
      await this.unlinking.requireLinked('telegram', turn.externalId);
      await turn.reply(
        turn.t('telegram.unlink.confirm'),
        Markup.inlineKeyboard([[turn.button(turn.t('telegram.unlink.yes'), CONFIRM_UNLINK)]]),
      );
    });
  }

  private async unlink(turn: Turn, message: Message | undefined): Promise<void> {
    await this.unlinking.unlink('telegram', turn.externalId);
    await turn.answer();
    if (message) await turn.edit(message.message_id, turn.t('telegram.unlink.done'));
    else await turn.reply(turn.t('telegram.unlink.done'));
  }
}
