import { Telegraf, TelegramError } from 'telegraf';
import { PlatformCalls, type PlatformCallOutcome } from './platform-calls';

type Telegram = Telegraf['telegram'];
type CallApi = Telegram['callApi'];

/**
 * Wraps a telegraf `Telegram`'s `callApi` once, so each Bot API call it makes
 * - gives up after `timeoutMs` (PLATFORM_CALL_TIMEOUT_MS; telegraf alone waits up to 500 s),
 *   getUpdates after its long-poll time plus that, through an AbortSignal;
 * - is counted in `ttfd_platform_api_calls_total{platform="telegram",route=<method>}`;
 * - says, once a minute per method, that Telegram is throttling us.
 */
const WATCHED = Symbol('ttfd.watched');

export function watchTelegram(telegram: Telegram, calls: PlatformCalls, timeoutMs: number): void {
  const marked = telegram as Telegram & { [WATCHED]?: true };
  if (marked[WATCHED]) return;
  marked[WATCHED] = true;
  const callApi: CallApi = telegram.callApi.bind(telegram);
  const watched = async (
    method: Parameters<CallApi>[0],
    payload: Parameters<CallApi>[1],
    options: Parameters<CallApi>[2] = {},
  ) => {
    const longPollMs =
      method === 'getUpdates' ? Number((payload as { timeout?: number }).timeout ?? 0) * 1000 : 0;
    const deadline = AbortSignal.timeout(timeoutMs + longPollMs);
    const signal = options.signal
      ? AbortSignal.any([options.signal as AbortSignal, deadline])
      : deadline;
    try {
      const result = await callApi(method, payload, {
        ...options,
        signal: signal as NonNullable<Parameters<CallApi>[2]>['signal'],
      });
      calls.record('telegram', method, 'ok');
      return result;
    } catch (error) {
      // Our own abort (shutdown stopping the poller) is no trouble of Telegram's.
      if (!(options.signal?.aborted && !deadline.aborted)) {
        const outcome = outcomeOf(error);
        calls.record('telegram', method, outcome);
        if (outcome === 'rate_limited') {
          const retryAfter = (error as TelegramError).parameters?.retry_after ?? 1;
          calls.throttled('telegram', method, retryAfter * 1000, '429');
        }
      }
      throw error;
    }
  };
  telegram.callApi = watched as CallApi;
}

function outcomeOf(error: unknown): PlatformCallOutcome {
  if (!(error instanceof TelegramError)) return 'timeout';
  if (error.code === 429) return 'rate_limited';
  return error.code >= 500 ? 'server_error' : 'client_error';
}
