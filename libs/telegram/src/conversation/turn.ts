import { Markup } from 'telegraf';
import type { Context } from 'telegraf';
import type { InlineKeyboardButton, Message, User } from 'telegraf/types';
import type { ExtraReplyMessage } from 'telegraf/typings/telegram-types';
import { Locale, MessageKey, Params, resolveLocale, translate } from '@ttfd/i18n';
import { CallbackDataCodec } from '../callbacks/callback-data.codec';
import { isGone, RateLimitedSender } from '../sending/rate-limited-sender';
import { HeldReplies } from './held-replies';

/** A picture to send: its bytes (uploaded), or the file_id Telegram gave them when they were. */
export type OutgoingPicture = { png: Buffer; filename: string } | { fileId: string };

function inputOf(picture: OutgoingPicture): { source: Buffer; filename: string } | string {
  return 'fileId' in picture ? picture.fileId : { source: picture.png, filename: picture.filename };
}

/** The largest size's file_id: sending it again sends the picture as it was uploaded. */
function fileIdOf(sent: Message.PhotoMessage): string {
  return sent.photo[sent.photo.length - 1].file_id;
}

/**
 * One handled update: who is talking, in which language, and how to answer. Every answer goes
 * through the rate-limited sender; handlers never return a value (nestjs-telegraf would send it).
 *
 * Answers are held until the update's effects are committed (HeldReplies, opened by the update
 * intake) and then leave through the chat's send queue: handling never waits for pacing.
 */
export class Turn {
  readonly locale: Locale;
  private answered = false;
  /** The answer last started, settled or not: a picture that follows waits for it. */
  private sending: Promise<unknown> = Promise.resolve();

  constructor(
    readonly ctx: Context,
    readonly from: User,
    private readonly sender: RateLimitedSender,
    private readonly codec: CallbackDataCodec,
    private readonly held: HeldReplies | undefined = HeldReplies.current(),
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

  async reply(text: string, extra: ExtraReplyMessage = {}): Promise<void> {
    const chatId = this.chatId;
    await this.send(() => this.sender.sendMessage(chatId, text, extra));
  }

  /**
   * A picture (the rank card) with its caption (at most 1,024 characters, Telegram's limit),
   * held like every answer. `followUp` is sent after it (the full text a cut caption left out).
   * When Telegram refuses the picture, `onRefused` hears why and `fallback` is sent instead; a
   * user who blocked the bot is not written to again. `onSent` hears the file_id Telegram gave
   * the picture (sending it again by that id needs no upload).
   */
  async replyWithPhoto(photo: {
    picture: OutgoingPicture;
    caption: string;
    followUp?: string;
    fallback: string;
    onRefused: (error: unknown) => void;
    onSent?: (fileId: string) => void;
  }): Promise<void> {
    const chatId = this.chatId;
    await this.send(async () => {
      try {
        const sent = await this.sender.sendPhoto(chatId, inputOf(photo.picture), {
          caption: photo.caption,
        });
        photo.onSent?.(fileIdOf(sent));
      } catch (error) {
        if (isGone(error)) throw error;
        photo.onRefused(error);
        await this.sender.sendMessage(chatId, photo.fallback);
        return;
      }
      if (photo.followUp) await this.sender.sendMessage(chatId, photo.followUp);
    });
  }

  /**
   * A picture without caption after the answers before it. Held like every answer, but its
   * `picture` (a drawing, say) is made only once those answers were sent, and releasing
   * it does not wait for it: the answers before it leave at once, and the chat's queue keeps
   * their order. Null: nothing to send. A refusal is only reported to `onRefused` (the answers
   * before it stand on their own).
   */
  async followWithPhoto(photo: {
    picture: () => Promise<OutgoingPicture | null>;
    onRefused: (error: unknown) => void;
    onSent?: (fileId: string) => void;
  }): Promise<void> {
    const chatId = this.chatId;
    await this.send(async () => {
      // Read before this send is tracked: the answer started just before this one. It is sent
      // first, so a drawing never delays it.
      await this.sending;
      const picture = await photo.picture();
      if (!picture) return;
      try {
        photo.onSent?.(fileIdOf(await this.sender.sendPhoto(chatId, inputOf(picture))));
      } catch (error) {
        if (isGone(error)) throw error;
        photo.onRefused(error);
      }
    });
  }

  async edit(messageId: number, text: string, buttons?: InlineKeyboardButton[][]): Promise<void> {
    const chatId = this.chatId;
    const markup = buttons
      ? Markup.inlineKeyboard(buttons)
      : { reply_markup: { inline_keyboard: [] } };
    await this.send(() => this.sender.editMessageText(chatId, messageId, text, markup));
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
    const chatId = this.chatId;
    await this.send(() => this.sender.answerCallback(chatId, query.id, text, alert));
  }

  /** Held for after the commit when an update is being handled; else sent (and awaited) now. */
  private async send(outgoing: () => Promise<unknown>): Promise<void> {
    const tracked = () => {
      const sending = outgoing();
      this.sending = sending.catch(() => undefined);
      return sending;
    };
    if (this.held) this.held.hold(tracked);
    else await tracked();
  }
}
