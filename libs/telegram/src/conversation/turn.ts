import { Markup } from 'telegraf';
import type { Context } from 'telegraf';
import type { InlineKeyboardButton, User } from 'telegraf/types';
import type { ExtraReplyMessage } from 'telegraf/typings/telegram-types';
import { Locale, MessageKey, Params, resolveLocale, translate } from '@ttfd/i18n';
import { CallbackDataCodec } from '../callbacks/callback-data.codec';
import { RateLimitedSender } from '../sending/rate-limited-sender';

/**
 * One handled update: who is talking, in which language, and how to answer. Every answer goes
 * through the rate-limited sender; handlers never return a value (nestjs-telegraf would send it).
 */
export class Turn {
  readonly locale: Locale;
  private answered = false;

  constructor(
    readonly ctx: Context,
    readonly from: User,
    private readonly sender: RateLimitedSender,
    private readonly codec: CallbackDataCodec,
  ) {
    this.locale = resolveLocale(from.language_code);
  }

  t(key: MessageKey, params?: Params): string {
    return translate(this.locale, key, params);
  }

  get userId(): number {
    return this.from.id;
  }

  get externalId(): string {
    return String(this.from.id);
  }

  /** The chat to answer in: the message's chat, or the private chat of the presser. */
  get chatId(): number {
    return this.ctx.chat?.id ?? this.from.id;
  }

  get displayName(): string {
    return [this.from.first_name, this.from.last_name].filter(Boolean).join(' ');
  }

  async reply(text: string, extra: ExtraReplyMessage = {}): Promise<{ message_id: number }> {
    return this.sender.sendMessage(this.chatId, text, extra);
  }

  /** A picture with its caption (at most 1,024 characters, Telegram's limit). */
  async replyWithPhoto(
    png: Buffer,
    filename: string,
    caption: string,
  ): Promise<{ message_id: number }> {
    return this.sender.sendPhoto(this.chatId, { source: png, filename }, { caption });
  }

  async edit(messageId: number, text: string, buttons?: InlineKeyboardButton[][]): Promise<void> {
    await this.sender.editMessageText(
      this.chatId,
      messageId,
      text,
      buttons ? Markup.inlineKeyboard(buttons) : { reply_markup: { inline_keyboard: [] } },
    );
  }

  /** A button only this user can press, carrying a signed `action` and its args. */
  button(text: string, action: string, args: (string | number)[] = []): InlineKeyboardButton {
    return Markup.button.callback(text, this.codec.encode(this.userId, action, args));
  }

  get isCallback(): boolean {
    return this.ctx.callbackQuery !== undefined;
  }

  /** True once the pressed button got its answer (a later failure must then be a message). */
  get callbackAnswered(): boolean {
    return this.answered;
  }

  /** Answers the pressed button once (stops the client's spinner); later calls do nothing. */
  async answer(text?: string, alert = false): Promise<void> {
    const query = this.ctx.callbackQuery;
    if (!query || this.answered) return;
    this.answered = true;
    await this.sender.answerCallback(query.id, text, alert);
  }
}
