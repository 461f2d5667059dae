import { ApiStorm } from './api-storm';
import { BotApiError, methodNotFound } from './bot-api-error';
import type { BotApiErrorShape, CallOutcome, RecordedCall } from './fake-telegram.types';
import { DescribedResult, type MethodContext } from './methods/method-context';
import { findMethod } from './methods/method-table';
import { Params } from './params';
import type { StateStore } from './state-store';
import type { UpdateQueue } from './update-queue';

export type ApiReply =
  { ok: true; result: unknown; description?: string } | ({ ok: false } & BotApiErrorShape);

export interface CallOptions {
  signal: AbortSignal;
  viaWebhookResponse?: boolean;
}

interface RouterDeps {
  store: StateStore;
  queue: UpdateQueue;
  now: () => number;
  webhookChanged: () => void;
}

function errorReply(error: BotApiErrorShape): ApiReply {
  return { ok: false, ...error };
}

function outcomeOf(reply: ApiReply): CallOutcome {
  if (reply.ok) return { ok: true, result: reply.result };
  const { ok: _ok, ...error } = reply;
  return { ok: false, error };
}

/**
 * Runs one Bot API call: records it, applies an injected failure if one is armed for the method,
 * otherwise dispatches to the handler. Whatever happens, the caller gets the real API's envelope.
 */
export class ApiRouter {
  private readonly failures = new Map<string, BotApiErrorShape[]>();
  private readonly watchers = new Set<(call: RecordedCall) => void>();
  private readonly holds = new Map<string, Promise<void>>();
  readonly storm = new ApiStorm();

  constructor(private readonly deps: RouterDeps) {}

  failNext(method: string, error: BotApiErrorShape, times: number): void {
    const key = method.toLowerCase();
    const queue = this.failures.get(key) ?? [];
    for (let i = 0; i < times; i++) queue.push(structuredClone(error));
    this.failures.set(key, queue);
  }

  clearFailures(): void {
    this.failures.clear();
  }

  /**
   * Calls of `method` wait, recorded, until the returned release is called (a slow Bot API
   * method), then are answered as usual.
   */
  hold(method: string): () => void {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    this.holds.set(method.toLowerCase(), released);
    return () => {
      this.holds.delete(method.toLowerCase());
      release();
    };
  }

  /** The bytes of a stored file by its file_path (the download URL's tail); counted. */
  downloadFile(path: string): Buffer | undefined {
    this.deps.store.fileDownloads.push(path);
    for (const file of this.deps.store.files.values()) {
      if (file.filePath === path) return file.bytes;
    }
    return undefined;
  }

  async call(
    method: string,
    raw: Record<string, unknown>,
    options: CallOptions,
  ): Promise<ApiReply> {
    const call = this.record(method, raw, options.viaWebhookResponse ?? false);
    await this.holds.get(method.toLowerCase());
    const reply = await this.dispatch(method, raw, options);
    call.outcome = outcomeOf(reply);
    for (const watcher of this.watchers) watcher(call);
    return reply;
  }

  /** Hears every call to a method once it is answered; returns the way to stop listening. */
  watch(watcher: (call: RecordedCall) => void): () => void {
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }

  /**
   * The storm's answer to an HTTP call, recorded like any call: an error reply, 'dropped' for a
   * call held until the storm ended or the client hung up (the server then drops the socket), or
   * undefined when no storm hits it.
   */
  async stormAnswer(
    method: string,
    raw: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<ApiReply | 'dropped' | undefined> {
    const verdict = this.storm.take(method);
    if (!verdict) return undefined;
    const call = this.record(method, raw, false);
    if (verdict.kind === 'hang') {
      await this.storm.hold(signal);
      return 'dropped'; // no outcome: the call was never answered
    }
    const reply = errorReply(verdict.error);
    call.outcome = outcomeOf(reply);
    return reply;
  }

  /** A request that never reached a method (unparsable body): still recorded, to help debugging. */
  reject(method: string, error: BotApiError): ApiReply {
    const call = this.record(method, {}, false);
    const reply = errorReply(error.toShape());
    call.outcome = outcomeOf(reply);
    return reply;
  }

  private record(
    method: string,
    params: Record<string, unknown>,
    viaWebhookResponse: boolean,
  ): RecordedCall {
    const call: RecordedCall = {
      method: findMethod(method)?.name ?? method,
      params: structuredClone(params),
      at: this.deps.now(),
      viaWebhookResponse,
    };
    this.deps.store.calls.push(call);
    return call;
  }

  private async dispatch(
    method: string,
    raw: Record<string, unknown>,
    options: CallOptions,
  ): Promise<ApiReply> {
    const failure = this.failures.get(method.toLowerCase())?.shift();
    if (failure) return errorReply(failure);
    const entry = findMethod(method);
    if (!entry) return errorReply(methodNotFound().toShape());
    const context: MethodContext = { ...this.deps, signal: options.signal };
    try {
      const value = await entry.handler(new Params(raw), context);
      // A snapshot, so later edits of a stored message do not rewrite an earlier answer.
      return value instanceof DescribedResult
        ? { ok: true, result: structuredClone(value.result), description: value.description }
        : { ok: true, result: structuredClone(value) };
    } catch (error) {
      if (error instanceof BotApiError) return errorReply(error.toShape());
      // A bug in the fake, not an API answer: make it loud and recognisable.
      const message = error instanceof Error ? error.message : String(error);
      return errorReply({
        error_code: 500,
        description: `Internal Server Error: fake Telegram failed: ${message}`,
      });
    }
  }
}
