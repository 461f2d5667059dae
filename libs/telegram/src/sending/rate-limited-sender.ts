import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectBot } from 'nestjs-telegraf';
import { Telegraf, TelegramError } from 'telegraf';
import type {
  ExtraEditMessageText,
  ExtraPhoto,
  ExtraReplyMessage,
} from 'telegraf/typings/telegram-types';
import { TELEGRAM_SETTINGS, TelegramSettings } from '../telegram-settings';
import { Pacer } from './pacer';
import { TokenBucket } from './token-bucket';

/** Short bursts are fine for Telegram; sustained rate is what it limits. */
const PER_CHAT_BURST = 3;
/** A 429 is waited out and retried this many times before the message is given up. */
const MAX_ATTEMPTS = 5;
/** Idle per-chat buckets are forgotten once there are more than this many. */
const PRUNE_ABOVE = 1_000;

export type SendOutcome = 'sent' | 'gone';

/** The user blocked the bot, deleted their account, or the chat no longer exists. */
export function isGone(error: unknown): boolean {
  return (
    error instanceof TelegramError &&
    (error.code === 403 || (error.code === 400 && /chat not found/i.test(error.description)))
  );
}

/**
 * Every outgoing call of the bot (replies, edits, callback answers, notifications) goes through
 * here: about 1 message per second per chat and 30 per second overall (token buckets), and a 429
 * is waited out for its `retry_after` and retried rather than lost.
 *
 * The buckets live in this process. That is exact for one bot process (polling runs exactly one)
 * and for notifications, which the sync worker of the SAME process sends through this notifier.
 * Several webhook replicas each keep their own buckets: Telegram's 429 + retry_after then does
 * the rest, which this sender honours.
 */
@Injectable()
export class RateLimitedSender {
  private readonly logger = new Logger(RateLimitedSender.name);
  private readonly global: TokenBucket;
  private readonly chats = new Map<string, TokenBucket>();

  constructor(
    @InjectBot() private readonly bot: Telegraf,
    @Inject(TELEGRAM_SETTINGS) private readonly settings: TelegramSettings,
    private readonly pacer: Pacer,
  ) {
    this.global = new TokenBucket(settings.sendPerSecond, settings.sendPerSecond, pacer.now());
  }

  async sendMessage(
    chatId: number | string,
    text: string,
    extra: ExtraReplyMessage = {},
  ): Promise<{ message_id: number }> {
    return this.run(chatId, () => this.bot.telegram.sendMessage(chatId, text, extra));
  }

  /** A picture uploaded from memory (a rank card), paced like any message to the chat. */
  async sendPhoto(
    chatId: number | string,
    photo: { source: Buffer; filename: string },
    extra: ExtraPhoto = {},
  ): Promise<{ message_id: number }> {
    return this.run(chatId, () => this.bot.telegram.sendPhoto(chatId, photo, extra));
  }

  async editMessageText(
    chatId: number | string,
    messageId: number,
    text: string,
    extra: ExtraEditMessageText = {},
  ): Promise<void> {
    await this.run(chatId, async () => {
      try {
        await this.bot.telegram.editMessageText(chatId, messageId, undefined, text, extra);
      } catch (error) {
        // Pressing the same stale button twice edits to the same text: nothing to do.
        if (error instanceof TelegramError && /message is not modified/i.test(error.description)) {
          return;
        }
        throw error;
      }
    });
  }

  /** Not a chat message (no per-chat limit), but still an API call under the global one. */
  async answerCallback(callbackQueryId: string, text?: string, showAlert = false): Promise<void> {
    await this.run(undefined, () =>
      this.bot.telegram.answerCbQuery(callbackQueryId, text, { show_alert: showAlert }),
    );
  }

  /** For notifications: 'gone' when the user can no longer be written to. */
  async deliver(chatId: number | string, text: string): Promise<SendOutcome> {
    try {
      await this.sendMessage(chatId, text);
      return 'sent';
    } catch (error) {
      if (isGone(error)) return 'gone';
      throw error;
    }
  }

  private async run<T>(chatId: number | string | undefined, call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      await this.pacer.sleep(this.reserve(chatId));
      try {
        return await call();
      } catch (error) {
        const retryAfter =
          error instanceof TelegramError && error.code === 429
            ? (error.parameters?.retry_after ?? 1)
            : undefined;
        if (retryAfter === undefined || attempt >= MAX_ATTEMPTS) throw error;
        this.logger.warn(
          `Telegram asked to slow down (429) for chat ${chatId ?? '-'}: retrying in ${retryAfter} s`,
        );
        await this.pacer.sleep(retryAfter * 1000);
      }
    }
  }

  private reserve(chatId: number | string | undefined): number {
    const now = this.pacer.now();
    const globalWait = this.global.reserve(now);
    if (chatId === undefined) return globalWait;
    const key = String(chatId);
    let bucket = this.chats.get(key);
    if (!bucket) {
      if (this.chats.size > PRUNE_ABOVE) this.prune(now);
      bucket = new TokenBucket(this.settings.sendPerChatPerSecond, PER_CHAT_BURST, now);
      this.chats.set(key, bucket);
    }
    return Math.max(globalWait, bucket.reserve(now));
  }

  private prune(now: number): void {
    for (const [key, bucket] of this.chats) if (bucket.isIdle(now)) this.chats.delete(key);
  }
}
