import type { Params } from '../params';
import type { StateStore } from '../state-store';
import type { UpdateQueue } from '../update-queue';

export interface MethodContext {
  store: StateStore;
  queue: UpdateQueue;
  /** ms since epoch */
  now: () => number;
  /** Aborted when the client hangs up; only long polling cares. */
  signal: AbortSignal;
  /** Starts webhook delivery after the webhook changed. */
  webhookChanged: () => void;
}

export type MethodHandler = (params: Params, context: MethodContext) => unknown;

/** A successful result that also carries the `description` the real API adds (setWebhook and co). */
export class DescribedResult {
  constructor(
    readonly result: unknown,
    readonly description: string,
  ) {}
}

export function unixSeconds(context: MethodContext): number {
  return Math.floor(context.now() / 1000);
}
