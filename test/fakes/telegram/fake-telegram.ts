import type {
  BotCommand,
  BotCommandScope,
  CallbackQuery,
  Chat,
  Message,
  UserFromGetMe,
} from 'telegraf/types';
import { ApiRouter } from './api-router';
import type { ApiStormHits, ApiStormMix, ApiStormOptions } from './api-storm';
import { BotApiServer } from './bot-api-server';
import type {
  AnsweredCallback,
  AssignedUpdate,
  BotApiErrorShape,
  FakeTelegramOptions,
  FakeUser,
  MessageRef,
  PostResult,
  RawUpdate,
  RecordedCall,
  WebhookDelivery,
} from './fake-telegram.types';
import { postJson } from './http-post';
import { commandsKey } from './methods/bot.methods';
import { callbackDataOf } from './reply-markup';
import { StateStore, type InlineMessage, type SentPhoto } from './state-store';
import {
  botUserFromToken,
  callbackQuery,
  commandEntities,
  privateChatOf,
  textMessage,
  userOf,
} from './update-builders';
import { UpdateQueue } from './update-queue';
import { waitUntil } from './wait-until';
import { WebhookDeliverer } from './webhook-deliverer';

export const DEFAULT_FAKE_TOKEN = '1000001:TEST-fake-telegram-token';
const DEFAULT_WAIT_MS = 5000;

export type MessageMatch = string | RegExp | ((message: Message.TextMessage) => boolean);
export type CallMatch = (call: RecordedCall) => boolean;

export interface SendTextOptions {
  /** Defaults to the user's private chat with the bot; pass a group to speak there. */
  chat?: Chat;
  /** A message in the same chat this one replies to. */
  replyTo?: MessageRef;
}

export interface PressButtonOptions {
  /** Send the data even if no button on the message carries it (a forged or stale callback). */
  force?: boolean;
  /**
   * The callback carries an InaccessibleMessage (`date: 0`, no text, no buttons), as Telegram
   * sends for a message older than 48 hours: the bot must not rely on the pressed message's text.
   */
  inaccessible?: boolean;
}

export interface PostUpdateOptions {
  /** The header value to send; omit to send no secret header at all. */
  secretToken?: string;
  /** Where to POST; defaults to the webhook set by the bot (after rewriteWebhookUrl). */
  url?: string;
}

/** What a running fake is made of; one object so the constructor stays readable. */
interface FakeTelegramParts {
  token: string;
  now: () => number;
  rewriteWebhookUrl: (url: string) => string;
  store: StateStore;
  queue: UpdateQueue;
  router: ApiRouter;
  deliverer: WebhookDeliverer;
  server: BotApiServer;
}

export type TextUpdate = AssignedUpdate<{ message: Message.TextMessage }>;
export type CallbackUpdate = AssignedUpdate<{ callback_query: CallbackQuery.DataQuery }>;

function toMessagePredicate(
  match: MessageMatch | undefined,
): (message: Message.TextMessage) => boolean {
  if (match === undefined) return () => true;
  if (typeof match === 'string') return (message) => message.text.includes(match);
  if (match instanceof RegExp) return (message) => match.test(message.text);
  return match;
}

/**
 * A fake Telegram Bot API on 127.0.0.1 for e2e tests: the real telegraf client talks HTTP to it as to
 * api.telegram.org (`new Telegraf(token, { telegram: { apiRoot: fake.apiRoot } })`). Tests inject
 * what users do (texts, button presses, raw updates) and inspect what the bot did.
 */
export class FakeTelegram {
  readonly token: string;
  readonly bot: UserFromGetMe;
  private callbackQuerySeq = 0;
  private stopped: Promise<void> | undefined;

  private constructor(private readonly parts: FakeTelegramParts) {
    this.token = parts.token;
    this.bot = parts.store.bot;
  }

  static async start(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
    const token = options.token ?? DEFAULT_FAKE_TOKEN;
    const now = options.now ?? Date.now;
    const store = new StateStore(
      botUserFromToken(
        token,
        options.botUsername ?? 'ttfd_test_bot',
        options.botFirstName ?? 'TTFD Test Bot',
      ),
    );
    const queue = new UpdateQueue();
    const rewriteWebhookUrl = options.rewriteWebhookUrl ?? ((url: string) => url);
    // The router and the deliverer need each other (setWebhook starts delivery; a webhook's reply
    // body is an API call); each closure runs only after both exist.
    const router = new ApiRouter({ store, queue, now, webhookChanged: () => deliverer.kick() });
    const deliverer = new WebhookDeliverer({
      store,
      queue,
      now,
      maxAttempts: options.webhookMaxAttempts ?? 3,
      retryDelayMs: options.webhookRetryDelayMs ?? 100,
      maxConnections: options.webhookMaxConnections ?? 1,
      rewriteUrl: rewriteWebhookUrl,
      runReplyMethod: async (method, params) => {
        await router.call(method, params, {
          signal: new AbortController().signal,
          viaWebhookResponse: true,
        });
      },
    });
    const server = await BotApiServer.listen(token, router, {
      acceptUploads: options.acceptUploads ?? false,
    });
    return new FakeTelegram({
      token,
      now,
      rewriteWebhookUrl,
      store,
      queue,
      router,
      deliverer,
      server,
    });
  }

  /** Base URL for telegraf's `apiRoot` option. */
  get apiRoot(): string {
    return this.parts.server.url;
  }

  /**
   * Answers held long polls with [] at once, stops webhook delivery and closes every connection.
   * Stop the bots first: a telegraf still polling would see the server vanish and retry in 5 s.
   */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.parts.router.storm.end();
      this.parts.queue.close();
      await this.parts.deliverer.stop();
      await this.parts.server.close();
    })();
    return this.stopped;
  }

  // ------------------------------------------------------------------------------------- inject

  /** A user writes `text`; each `/command` in it gets its bot_command entity, as on Telegram. */
  sendText(user: FakeUser, text: string, options: SendTextOptions = {}): TextUpdate {
    const from = userOf(user);
    this.parts.store.rememberUser(from);
    const record = this.parts.store.rememberChat(options.chat ?? privateChatOf(user));
    const replyTo = options.replyTo ? record.messages.get(options.replyTo.message_id) : undefined;
    if (options.replyTo && !replyTo) {
      throw new Error(
        `sendText: no message ${options.replyTo.message_id} in chat ${record.chat.id} to reply to`,
      );
    }
    const message = this.parts.store.addMessage(record, (message_id) =>
      textMessage({
        message_id,
        date: this.unixNow(),
        from,
        chat: record.chat,
        text,
        entities: commandEntities(text),
        reply_to_message: replyTo,
      }),
    );
    return this.pushUpdate({ message: structuredClone(message) });
  }

  /**
   * A user presses an inline button on a bot message. Unless `force` is set, the message must exist
   * and carry a button with that callback_data, as a real client would only offer those.
   */
  pressButton(
    user: FakeUser,
    ref: MessageRef,
    callbackData: string,
    options: PressButtonOptions = {},
  ): CallbackUpdate {
    const message = this.parts.store.message(ref.chat.id, ref.message_id);
    if (!message || message.from?.id !== this.bot.id) {
      throw new Error(
        `pressButton: no bot message ${ref.message_id} in chat ${ref.chat.id} (deleted or never sent)`,
      );
    }
    const offered = callbackDataOf(message.reply_markup);
    if (!options.force && !offered.includes(callbackData)) {
      throw new Error(
        `pressButton: message ${ref.message_id} has no button with callback_data ${JSON.stringify(callbackData)}; ` +
          `its buttons carry ${JSON.stringify(offered)}`,
      );
    }
    const from = userOf(user);
    this.parts.store.rememberUser(from);
    const id = `${this.bot.id}${String(++this.callbackQuerySeq).padStart(8, '0')}`;
    this.parts.store.openCallbackQuery(id);
    return this.pushUpdate({
      callback_query: callbackQuery({
        id,
        from,
        message: options.inaccessible
          ? ({ chat: message.chat, message_id: message.message_id, date: 0 } as typeof message)
          : structuredClone(message),
        data: callbackData,
        botId: this.bot.id,
      }),
    });
  }

  /**
   * Queues any update as is; update_id is assigned when missing. Passing an update_id already used
   * re-delivers it (for dedupe tests). Updates of a type the bot did not subscribe to (allowed_updates)
   * are dropped, as Telegram never creates them.
   */
  pushUpdate<T extends RawUpdate>(raw: T): AssignedUpdate<T> {
    const update = this.parts.queue.enqueue(raw, (candidate) => {
      const type = Object.keys(candidate).find((key) => key !== 'update_id');
      return type === undefined || this.parts.store.isAllowed(type);
    });
    this.parts.deliverer.kick();
    return update;
  }

  /** Makes a group, supergroup or channel known, so the bot can write to it and getChat finds it. */
  addChat(chat: Chat): void {
    this.parts.store.rememberChat(chat);
  }

  /** A message sent via the bot in inline mode, so editMessageText with inline_message_id finds it. */
  addInlineMessage(inlineMessageId: string, message: InlineMessage): void {
    this.parts.store.setInlineMessage(inlineMessageId, structuredClone(message));
  }

  /**
   * The user sets a new profile photo (newest first, as getUserProfilePhotos lists them), stored
   * in three sizes like Telegram's (all the same bytes here). Returns its file_unique_id.
   */
  setProfilePhoto(userId: number, bytes: Buffer): string {
    const store = this.parts.store;
    const serial = store.files.size + 1;
    const unique = `AQAD${userId}x${serial}`;
    const sizes = [160, 320, 640].map((side, index) => {
      const file = {
        fileId: `photo-${userId}-${serial}-${index}`,
        fileUniqueId: `${unique}-${side}`,
        filePath: `photos/file_${userId}_${serial}_${side}.jpg`,
        width: side,
        height: side,
        bytes,
      };
      store.files.set(file.fileId, file);
      return file;
    });
    store.profilePhotos.set(userId, [sizes, ...(store.profilePhotos.get(userId) ?? [])]);
    return sizes[0].fileUniqueId;
  }

  /** The user blocks (or unblocks) the bot: writing to them then fails with 403. */
  setBlocked(userId: number, blocked = true): void {
    this.parts.store.setBlocked(userId, blocked);
  }

  // ------------------------------------------------------------------------------------ inspect

  /** The bot's messages in a chat, oldest first, as they are now (after edits; deleted ones gone). */
  messages(chatId: number): Message.TextMessage[] {
    return structuredClone(this.parts.store.botMessages(chatId));
  }

  message(chatId: number, messageId: number): Message.TextMessage | undefined {
    const message = this.parts.store.message(chatId, messageId);
    return message && structuredClone(message);
  }

  inlineMessage(inlineMessageId: string): InlineMessage | undefined {
    const message = this.parts.store.inlineMessage(inlineMessageId);
    return message && structuredClone(message);
  }

  /** Every request the bot made (optionally of one method), in arrival order. */
  calls(method?: string): RecordedCall[] {
    const wanted = method?.toLowerCase();
    return this.parts.store.calls
      .filter((call) => wanted === undefined || call.method.toLowerCase() === wanted)
      .map((call) => ({ ...call }));
  }

  /** Photos the bot sent to a chat (sendPhoto uploads), oldest first, with their bytes. */
  photos(chatId: number): SentPhoto[] {
    return this.parts.store.photos
      .filter((photo) => photo.chatId === chatId)
      .map((photo) => ({ ...photo }));
  }

  /** Paths of the files the bot downloaded (`/file/bot<token>/<path>`), oldest first. */
  fileDownloads(): string[] {
    return [...this.parts.store.fileDownloads];
  }

  answeredCallbacks(): AnsweredCallback[] {
    return structuredClone(this.parts.store.answeredCallbacks);
  }

  webhookDeliveries(): WebhookDelivery[] {
    return structuredClone(this.parts.deliverer.deliveries);
  }

  /** Updates waiting to be fetched by getUpdates or delivered to the webhook. */
  pendingUpdates(): AssignedUpdate[] {
    return structuredClone(this.parts.queue.pending());
  }

  /** Commands set for exactly this scope and language (getMyCommands semantics, no fallback). */
  commands(options: { scope?: BotCommandScope; languageCode?: string } = {}): BotCommand[] {
    return structuredClone(
      this.parts.store.commandsFor(commandsKey(options.scope, options.languageCode)) ?? [],
    );
  }

  // --------------------------------------------------------------------------------------- wait

  /** Resolves with the first bot message in the chat that matches (substring, RegExp or predicate). */
  async waitForMessage(
    chatId: number,
    match?: MessageMatch,
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<Message.TextMessage> {
    const matches = toMessagePredicate(match);
    const found = await waitUntil(
      () => this.parts.store.botMessages(chatId).find(matches),
      timeoutMs,
      () =>
        `a bot message in chat ${chatId} matching ${match === undefined ? 'anything' : String(match)}; ` +
        `the chat has ${JSON.stringify(this.parts.store.botMessages(chatId).map((message) => message.text))}`,
    );
    return structuredClone(found);
  }

  /** Resolves with the first recorded call of `method` that matches. */
  /**
   * The next answered call that matches, heard as it happens (no polling, so a bench can time an
   * answer to the millisecond). Only calls answered after this is called count.
   */
  nextCall(predicate: CallMatch, timeoutMs = DEFAULT_WAIT_MS): Promise<RecordedCall> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for a matching call`));
      }, timeoutMs);
      const stop = this.parts.router.watch((call) => {
        if (!predicate(call)) return;
        clearTimeout(timer);
        stop();
        resolve({ ...call });
      });
    });
  }

  async waitForCall(
    method: string,
    predicate: CallMatch = () => true,
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<RecordedCall> {
    const found = await waitUntil(
      () => this.calls(method).find(predicate),
      timeoutMs,
      () =>
        `a ${method} call; calls so far: ${JSON.stringify(this.parts.store.calls.map((call) => call.method))}`,
    );
    return found;
  }

  /** Resolves once every queued update has been delivered to the webhook (or given up on). */
  async waitForWebhookIdle(timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    await waitUntil(
      () => (this.parts.deliverer.isIdle() ? true : undefined),
      timeoutMs,
      () => `webhook delivery to finish; ${this.parts.queue.size} update(s) pending`,
    );
    if (this.parts.deliverer.failure !== undefined) throw this.parts.deliverer.failure;
  }

  // ----------------------------------------------------------------------------------- webhooks

  /** POSTs one update to the webhook (or `url`) with exactly the secret given, bypassing the queue. */
  async postUpdate(update: RawUpdate, options: PostUpdateOptions = {}): Promise<PostResult> {
    const webhookUrl = this.parts.store.webhook?.url;
    const url =
      options.url ??
      (webhookUrl !== undefined ? this.parts.rewriteWebhookUrl(webhookUrl) : undefined);
    if (url === undefined) throw new Error('postUpdate: no webhook is set and no url was given');
    const headers: Record<string, string> =
      options.secretToken !== undefined
        ? { 'X-Telegram-Bot-Api-Secret-Token': options.secretToken }
        : {};
    return postJson(url, update, { headers });
  }

  // ------------------------------------------------------------------------------------- faults

  /**
   * The next `times` calls of `method` fail with exactly this error and change nothing, e.g.
   * `{ error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } }`
   * or `{ error_code: 500, description: 'Internal Server Error' }`.
   */
  failNext(method: string, error: BotApiErrorShape, times = 1): void {
    this.parts.router.failNext(method, error, times);
  }

  clearFailures(): void {
    this.parts.router.clearFailures();
  }

  /** Calls of `method` wait (recorded) until the returned function is called. */
  hold(method: string): () => void {
    return this.parts.router.hold(method);
  }

  /**
   * Until `endStorm`, every Bot API call (getUpdates spared unless `includeGetUpdates`) answers
   * 500, 429 with `parameters.retry_after`, or hangs, in turns weighted by `mix`, e.g.
   * `{ serverError: 2, tooManyRequests: 1, hang: 1 }`, and changes nothing (see api-storm.ts).
   */
  beginStorm(mix: ApiStormMix, options: ApiStormOptions = {}): void {
    this.parts.router.storm.begin(mix, options);
  }

  /** Calls are answered again; calls the storm held lose their connection now. */
  endStorm(): void {
    this.parts.router.storm.end();
  }

  /** How many answers of each kind the current (or last) storm gave. */
  stormHits(): ApiStormHits {
    return this.parts.router.storm.counts();
  }

  private unixNow(): number {
    return Math.floor(this.parts.now() / 1000);
  }
}
