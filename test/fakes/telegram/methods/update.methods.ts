import type { WebhookInfo } from 'telegraf/types';
import { badRequest, BotApiError } from '../bot-api-error';
import type { Params } from '../params';
import { DescribedResult, type MethodContext, type MethodHandler } from './method-context';

const SECRET_TOKEN = /^[A-Za-z0-9_-]{1,256}$/;

function applyCommonUpdateOptions(params: Params, context: MethodContext): void {
  if (params.boolean('drop_pending_updates')) context.queue.clear();
  const allowed = params.stringArray('allowed_updates');
  if (allowed !== undefined) context.store.setAllowedUpdates(allowed);
}

const getUpdates: MethodHandler = async (params, context) => {
  if (context.store.webhook) {
    throw new BotApiError(
      409,
      "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
    );
  }
  const allowed = params.stringArray('allowed_updates');
  // Like the real API, the choice applies to updates created after this call.
  if (allowed !== undefined) context.store.setAllowedUpdates(allowed);
  const limit = Math.min(100, Math.max(1, params.integer('limit') ?? 100));
  // Fractional timeouts are accepted so tests can hold a poll for less than a second.
  const timeoutSeconds = Math.max(0, params.number('timeout') ?? 0);
  return context.queue.poll({
    offset: params.integer('offset') ?? 0,
    limit,
    timeoutMs: timeoutSeconds * 1000,
    signal: context.signal,
  });
};

const deleteWebhook: MethodHandler = (params, context) => {
  applyCommonUpdateOptions(params, context);
  if (!context.store.webhook) return new DescribedResult(true, 'Webhook is already deleted');
  context.store.webhook = undefined;
  return new DescribedResult(true, 'Webhook was deleted');
};

const setWebhook: MethodHandler = (params, context) => {
  const url = params.string('url') ?? '';
  if (url === '') return deleteWebhook(params, context);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badRequest('bad webhook: Failed to resolve host: Name or service not known');
  }
  // The real API demands HTTPS; the fake also takes http:// because test servers are plain http.
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
  }
  const secretToken = params.string('secret_token');
  if (secretToken !== undefined && !SECRET_TOKEN.test(secretToken)) {
    throw badRequest('secret token contains unallowed characters');
  }
  const maxConnections = params.integer('max_connections') ?? 40;
  if (maxConnections < 1 || maxConnections > 100)
    throw badRequest('invalid max_connections specified');
  applyCommonUpdateOptions(params, context);
  context.store.webhook = {
    url,
    secretToken,
    maxConnections,
    ipAddress: params.string('ip_address'),
  };
  context.queue.interruptHeldPoll(
    new BotApiError(409, 'Conflict: terminated by setWebhook request'),
  );
  context.webhookChanged();
  return new DescribedResult(true, 'Webhook was set');
};

const getWebhookInfo: MethodHandler = (_params, context): WebhookInfo => {
  const { webhook } = context.store;
  const info: WebhookInfo = {
    url: webhook?.url ?? '',
    has_custom_certificate: false,
    pending_update_count: context.queue.size,
  };
  if (!webhook) return info;
  return {
    ...info,
    max_connections: webhook.maxConnections,
    ...(webhook.ipAddress !== undefined ? { ip_address: webhook.ipAddress } : {}),
    ...(webhook.lastErrorDate !== undefined
      ? { last_error_date: webhook.lastErrorDate, last_error_message: webhook.lastErrorMessage }
      : {}),
    ...(context.store.allowedUpdateTypes()
      ? { allowed_updates: context.store.allowedUpdateTypes() }
      : {}),
  };
};

export const UPDATE_METHODS: Record<string, MethodHandler> = {
  getUpdates,
  setWebhook,
  deleteWebhook,
  getWebhookInfo,
};
