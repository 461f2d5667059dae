import type { BotCommand, Chat, Message, User, UserFromGetMe } from 'telegraf/types';
import { BotApiError, chatNotFound } from './bot-api-error';
import type { AnsweredCallback, RecordedCall } from './fake-telegram.types';

export interface WebhookConfig {
  url: string;
  secretToken?: string;
  maxConnections: number;
  ipAddress?: string;
  lastErrorDate?: number;
  lastErrorMessage?: string;
}

export interface ChatRecord {
  chat: Chat;
  /** Message ids are per chat and shared by the user's and the bot's messages, as in Telegram. */
  lastMessageId: number;
  messages: Map<number, Message.TextMessage>;
}

/** Messages sent "via the bot" in inline mode live outside any chat; only their content is kept. */
export interface InlineMessage {
  text: string;
  reply_markup?: Message.TextMessage['reply_markup'];
  entities?: Message.TextMessage['entities'];
}

/** A photo the bot sent (kept apart from text messages, whose readers expect `text`). */
export interface SentPhoto {
  chatId: number;
  messageId: number;
  caption?: string;
  filename: string;
  bytes: Buffer;
  /** The file_id it was sent by (no upload); absent for an upload. */
  byFileId?: string;
  at: number;
}

/** What a file_id of a sent photo names. */
export interface SentPhotoFile {
  filename: string;
  bytes: Buffer;
}

/** A file the Bot API stores (profile photos): getFile names it, `/file/bot<token>/<path>` serves it. */
export interface StoredFile {
  fileId: string;
  fileUniqueId: string;
  filePath: string;
  width: number;
  height: number;
  bytes: Buffer;
}

/** A file part of a multipart request, as method handlers receive it. */
export interface UploadedFile {
  kind: 'upload';
  filename: string;
  contentType: string;
  bytes: Buffer;
}

export function isUploadedFile(value: unknown): value is UploadedFile {
  return typeof value === 'object' && value !== null && (value as UploadedFile).kind === 'upload';
}

/** Update types a bot gets when it never chose (Bot API: all but chat_member and reactions). */
const NOT_DELIVERED_BY_DEFAULT = new Set([
  'chat_member',
  'message_reaction',
  'message_reaction_count',
]);

/**
 * Everything the fake server knows: chats and their messages, users, commands, callback queries,
 * the webhook, and the log of calls. Plain data with small helpers; method handlers own the rules.
 */
export class StateStore {
  readonly calls: RecordedCall[] = [];
  readonly photos: SentPhoto[] = [];
  /** The photos sent so far by the file_id the fake gave them (sendPhoto takes them again). */
  readonly sentPhotoFiles = new Map<string, SentPhotoFile>();
  readonly files = new Map<string, StoredFile>();
  /** Each user's profile photos, newest first; each photo is its sizes, smallest first. */
  readonly profilePhotos = new Map<number, StoredFile[][]>();
  /** Paths of the files downloaded from `/file/bot<token>/...`, oldest first. */
  readonly fileDownloads: string[] = [];
  readonly answeredCallbacks: AnsweredCallback[] = [];
  webhook: WebhookConfig | undefined;

  private readonly chats = new Map<number, ChatRecord>();
  private readonly users = new Map<number, User>();
  private readonly blockedBy = new Set<number>();
  private readonly inlineMessages = new Map<string, InlineMessage>();
  private readonly commands = new Map<string, BotCommand[]>();
  /** callback_query id -> answered yet; the real API accepts one answer per query. */
  private readonly callbackQueries = new Map<string, boolean>();
  private allowedUpdates: ReadonlySet<string> | undefined;

  constructor(readonly bot: UserFromGetMe) {}

  rememberUser(user: User): void {
    this.users.set(user.id, user);
  }

  user(id: number): User | undefined {
    return this.users.get(id);
  }

  /** Registers a chat (or refreshes its info) and returns its record. */
  rememberChat(chat: Chat): ChatRecord {
    const existing = this.chats.get(chat.id);
    if (existing) {
      existing.chat = chat;
      return existing;
    }
    const record: ChatRecord = { chat, lastMessageId: 0, messages: new Map() };
    this.chats.set(chat.id, record);
    return record;
  }

  chat(id: number): ChatRecord | undefined {
    return this.chats.get(id);
  }

  /** Finds the chat a `chat_id` parameter names; unknown chats fail like the real API. */
  resolveChat(ref: number | string): ChatRecord {
    const record =
      typeof ref === 'number'
        ? this.chats.get(ref)
        : [...this.chats.values()].find(
            ({ chat }) =>
              chat.type !== 'private' && 'username' in chat && `@${chat.username}` === ref,
          );
    if (!record) throw chatNotFound();
    return record;
  }

  /** The real API refuses to write to a user who blocked the bot. */
  assertCanWrite(record: ChatRecord): void {
    if (record.chat.type === 'private' && this.blockedBy.has(record.chat.id)) {
      throw new BotApiError(403, 'Forbidden: bot was blocked by the user');
    }
  }

  setBlocked(userId: number, blocked: boolean): void {
    if (blocked) this.blockedBy.add(userId);
    else this.blockedBy.delete(userId);
  }

  /** The next message id of the chat, for messages that are not text (photos). */
  nextMessageId(record: ChatRecord): number {
    return ++record.lastMessageId;
  }

  addMessage(
    record: ChatRecord,
    build: (messageId: number) => Message.TextMessage,
  ): Message.TextMessage {
    const message = build(++record.lastMessageId);
    record.messages.set(message.message_id, message);
    return message;
  }

  message(chatId: number, messageId: number): Message.TextMessage | undefined {
    return this.chats.get(chatId)?.messages.get(messageId);
  }

  removeMessage(chatId: number, messageId: number): boolean {
    return this.chats.get(chatId)?.messages.delete(messageId) ?? false;
  }

  botMessages(chatId: number): Message.TextMessage[] {
    const messages = this.chats.get(chatId)?.messages.values() ?? [];
    return [...messages].filter((message) => message.from?.id === this.bot.id);
  }

  inlineMessage(id: string): InlineMessage | undefined {
    return this.inlineMessages.get(id);
  }

  setInlineMessage(id: string, message: InlineMessage): void {
    this.inlineMessages.set(id, message);
  }

  commandsFor(key: string): BotCommand[] | undefined {
    return this.commands.get(key);
  }

  setCommands(key: string, commands: BotCommand[] | undefined): void {
    if (commands === undefined) this.commands.delete(key);
    else this.commands.set(key, commands);
  }

  openCallbackQuery(id: string): void {
    this.callbackQueries.set(id, false);
  }

  /** Marks a query answered; false when unknown or answered before. */
  closeCallbackQuery(id: string): boolean {
    if (this.callbackQueries.get(id) !== false) return false;
    this.callbackQueries.set(id, true);
    return true;
  }

  /** An explicit empty list means "the default set", as in the real API. */
  setAllowedUpdates(types: string[]): void {
    this.allowedUpdates = types.length > 0 ? new Set(types) : undefined;
  }

  allowedUpdateTypes(): string[] | undefined {
    return this.allowedUpdates ? [...this.allowedUpdates] : undefined;
  }

  isAllowed(updateType: string): boolean {
    return this.allowedUpdates
      ? this.allowedUpdates.has(updateType)
      : !NOT_DELIVERED_BY_DEFAULT.has(updateType);
  }
}
