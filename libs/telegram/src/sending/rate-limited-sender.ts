import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { setMaxListeners } from 'node:events';
import { InjectBot } from 'nestjs-telegraf';
import { Telegraf, TelegramError } from 'telegraf';
import type { Message } from 'telegraf/types';
import type {
  ExtraEditMessageText,
  ExtraPhoto,
  ExtraReplyMessage,
} from 'telegraf/typings/telegram-types';
import { TELEGRAM_SETTINGS, TelegramSettings } from '../telegram-settings';
import { ChatLanes } from './chat-lanes';
import { Pacer } from './pacer';
import { TokenBucket } from './token-bucket';

/** Short bursts are fine for Telegram; sustained rate is what it limits. */
const PER_CHAT_BURST = 3;
/** A 429 is waited out and retried this many times before the message is given up. */
const MAX_ATTEMPTS = 5;
/** Idle per-chat buckets are forgotten once there are more than this many. */
const PRUNE_ABOVE = 1_000;
/**
 * Messages that may wait in one chat. At 1/s (20/min in a group) more would be minutes old when
 * they leave; the per-user command limit keeps a single player far below it.
 */
const MAX_QUEUED_PER_CHAT = 100;

export type SendOutcome = 'sent' | 'gone';

/** The sender stopped (shutdown grace is over): what was still queued is not sent. */
export class SenderStopped extends Error {
  constructor() {
    super('the Telegram sender has stopped');
    this.name = 'SenderStopped';
  }
}

/** The user blocked the bot, deleted their account, or the chat no longer exists. */
export function isGone(error: unknown): boolean {
  return (
    error instanceof TelegramError &&
    (error.code === 403 || (error.code === 400 && /chat not found/i.test(error.description)))
  );
}

/** Group, supergroup and channel ids are negative; private chats are the user's (positive) id. */
function isGroupChat(chat: string): boolean {
  return chat.startsWith('-');
}

type CallKind = 'message' | 'callback-answer';

/**
 * Every outgoing call of the bot (replies, edits, callback answers, notifications) goes through
 * here, in a FIFO per chat: a chat's messages leave in order and one at a time, and a chat with a
 * long queue never delays another chat.
 *
 * Limits, as Telegram states them: about 1 message per second per chat (bursts of 3), 20 per
 * minute in a group, 30 per second overall. The per-chat token is taken when the message reaches
 * the head of its chat's queue, and the global token only after that, when it is really sent:
 * so a flooded chat holds at most one global token at a time instead of reserving the whole
 * budget for seconds ahead. A 429 is waited out for its `retry_after` and retried.
 *
 * The buckets live in this process. That is exact for one bot process (polling runs exactly one)
 * and for notifications, which the sync worker of the SAME process sends through this notifier.
 * Several webhook replicas each keep their own buckets: Telegram's 429 + retry_after then does
 * the rest, which this sender honours.
 */
@Injectable()
export class RateLimitedSender implements BeforeApplicationShutdown {
  private readonly logger = new Logger(RateLimitedSender.name);
  private readonly global: TokenBucket;
  private readonly chats = new Map<string, TokenBucket>();
  private readonly lanes = new ChatLanes(MAX_QUEUED_PER_CHAT);
  private readonly stopped = new AbortController();

  constructor(
    @InjectBot() private readonly bot: Telegraf,
    @Inject(TELEGRAM_SETTINGS) private readonly settings: TelegramSettings,
    private readonly pacer: Pacer,
  ) {
    this.global = new TokenBucket(settings.sendPerSecond, settings.sendPerSecond, pacer.now());
    // Every waiting message listens on it (to stop waiting at shutdown): no listener limit.
    setMaxListeners(0, this.stopped.signal);
  }

  async sendMessage(
    chatId: number | string,
    text: string,
    extra: ExtraReplyMessage = {},
  ): Promise<{ message_id: number }> {
    return this.enqueue(chatId, 'message', () =>
      this.bot.telegram.sendMessage(chatId, text, extra),
    );
  }

  /**
   * A picture, uploaded from memory (a rank card) or named by the file_id of one sent before (no
   * upload), paced like any message to the chat. The answer carries the picture's sizes.
   */
  async sendPhoto(
    chatId: number | string,
    photo: { source: Buffer; filename: string } | string,
    extra: ExtraPhoto = {},
  ): Promise<Message.PhotoMessage> {
    return this.enqueue(chatId, 'message', () => this.bot.telegram.sendPhoto(chatId, photo, extra));
  }

  async editMessageText(
    chatId: number | string,
    messageId: number,
    text: string,
    extra: ExtraEditMessageText = {},
  ): Promise<void> {
    await this.enqueue(chatId, 'message', async () => {
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

  /**
   * Not a chat message (no per-chat limit), but an API call under the global one; it waits in
   * the chat's queue so it never overtakes the answer it belongs with.
   */
  async answerCallback(
    chatId: number | string,
    callbackQueryId: string,
    text?: string,
    showAlert = false,
  ): Promise<void> {
    await this.enqueue(chatId, 'callback-answer', () =>
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

  /**
   * After every module stopped producing (polling stopped, updates and jobs finished): the queued
   * answers get most of SHUTDOWN_GRACE_MS to leave; the rest of it is for closing connections.
   */
  async beforeApplicationShutdown(): Promise<void> {
    await this.drain(Math.floor(this.settings.shutdownGraceMs * 0.8));
  }

  /** Messages queued or being sent, over every chat. */
  get queued(): number {
    return this.lanes.size;
  }

  /**
   * Shutdown: lets the queues empty for at most `graceMs`, then stops; whatever is still queued
   * is dropped (and logged as a count). Returns how many were dropped.
   */
  async drain(graceMs: number): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), graceMs);
    });
    const outcome = await Promise.race([this.lanes.idle().then(() => 'idle' as const), timedOut]);
    clearTimeout(timer);
    const dropped = outcome === 'idle' ? 0 : this.lanes.size;
    this.stopped.abort();
    if (dropped > 0) {
      this.logger.warn(`Shutdown: ${dropped} queued Telegram message(s) were not sent in time`);
    }
    return dropped;
  }

  private enqueue<T>(chatId: number | string, kind: CallKind, call: () => Promise<T>): Promise<T> {
    if (this.stopped.signal.aborted) return Promise.reject(new SenderStopped());
    const chat = String(chatId);
    return this.lanes.run(chat, () => this.send(chat, kind, call));
  }

  /** Runs at the head of the chat's queue: waits for the chat's slot, then the global one. */
  private async send<T>(chat: string, kind: CallKind, call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      if (kind === 'message') await this.wait(this.chatBucket(chat).reserve(this.pacer.now()));
      await this.wait(this.global.reserve(this.pacer.now()));
      try {
        return await call();
      } catch (error) {
        const retryAfter =
          error instanceof TelegramError && error.code === 429
            ? (error.parameters?.retry_after ?? 1)
            : undefined;
        if (retryAfter === undefined || attempt >= MAX_ATTEMPTS) throw error;
        this.logger.warn(
          `Telegram asked to slow down (429) for chat ${chat}: retrying in ${retryAfter} s`,
        );
        await this.wait(retryAfter * 1000);
      }
    }
  }

  private async wait(ms: number): Promise<void> {
    await this.pacer.sleep(ms, this.stopped.signal);
    if (this.stopped.signal.aborted) throw new SenderStopped();
  }

  private chatBucket(chat: string): TokenBucket {
    let bucket = this.chats.get(chat);
    if (!bucket) {
      const now = this.pacer.now();
      if (this.chats.size > PRUNE_ABOVE) this.prune(now);
      bucket = isGroupChat(chat)
        ? new TokenBucket(this.settings.sendPerGroupPerMinute / 60, PER_CHAT_BURST, now)
        : new TokenBucket(this.settings.sendPerChatPerSecond, PER_CHAT_BURST, now);
      this.chats.set(chat, bucket);
    }
    return bucket;
  }

  private prune(now: number): void {
    for (const [key, bucket] of this.chats) if (bucket.isIdle(now)) this.chats.delete(key);
  }
}
