import type { Chat, ResponseParameters } from 'telegraf/types';

/** A human Telegram user, as tests describe them; `is_bot` is always false for injected users. */
export interface FakeUser {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export interface FakeTelegramOptions {
  /** Token the fake accepts; every other token gets 401 like the real API. */
  token?: string;
  botUsername?: string;
  botFirstName?: string;
  /** Wall clock for `date` fields and call timestamps (ms since epoch). */
  now?: () => number;
  /** Attempts per update when the webhook answers non-2xx or is unreachable (the real API retries for hours). */
  webhookMaxAttempts?: number;
  webhookRetryDelayMs?: number;
  /**
   * Webhook requests in flight at once, like setWebhook's max_connections (Telegram's default is
   * 40). Updates of one chat still go one at a time, in order. Default 1: strictly sequential.
   */
  webhookMaxConnections?: number;
  /**
   * Maps the URL given to setWebhook to the one the fake really POSTs to. telegraf's
   * `createWebhook({ domain })` always registers `https://<domain>/<path>`, while the app under test
   * listens on plain http on a port known only after boot; evaluated at delivery time.
   */
  rewriteWebhookUrl?: (url: string) => string;
  /**
   * Accept file uploads (multipart/form-data: sendPhoto). Off by default: the fake then refuses
   * them with 400 like a Bot API that takes no photos, which is what fallback tests want.
   */
  acceptUploads?: boolean;
}

/** The error part of a Bot API response: `{ ok: false, error_code, description, parameters? }`. */
export interface BotApiErrorShape {
  error_code: number;
  description: string;
  parameters?: ResponseParameters;
}

export type CallOutcome = { ok: true; result: unknown } | { ok: false; error: BotApiErrorShape };

/** One request the bot made, recorded when it arrived; `outcome` is filled in once answered. */
export interface RecordedCall {
  method: string;
  params: Record<string, unknown>;
  /** ms since epoch, from the fake's clock */
  at: number;
  /** true when the call came in the body of a webhook response rather than over HTTP */
  viaWebhookResponse: boolean;
  outcome?: CallOutcome;
}

export interface AnsweredCallback {
  callback_query_id: string;
  text?: string;
  show_alert?: boolean;
  url?: string;
  cache_time?: number;
  at: number;
}

/** A raw update as a test wants to inject it; `update_id` is assigned when missing. */
export interface RawUpdate {
  update_id?: number;
  [field: string]: unknown;
}

export type AssignedUpdate<T extends RawUpdate = RawUpdate> = T & { update_id: number };

export interface WebhookAttempt {
  at: number;
  /** HTTP status, absent when the request itself failed (refused, reset, timed out) */
  status?: number;
  body: string;
  error?: string;
}

export interface WebhookDelivery {
  update: AssignedUpdate;
  url: string;
  attempts: WebhookAttempt[];
  state: 'pending' | 'delivered' | 'failed';
}

export interface PostResult {
  status: number;
  body: string;
}

/** Where a bot message is: anything carrying its chat and id (a message returned by the fake will do). */
export interface MessageRef {
  message_id: number;
  chat: Pick<Chat, 'id'>;
}
