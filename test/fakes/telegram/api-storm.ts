import type { BotApiErrorShape } from './fake-telegram.types';

export type ApiStormKind = 'serverError' | 'tooManyRequests' | 'hang';

/** Relative weights of each bad answer; a kind left out (or 0) never happens. */
export type ApiStormMix = Partial<Record<ApiStormKind, number>>;

export interface ApiStormOptions {
  /** `parameters.retry_after` of the 429s, in seconds (default 1). */
  retryAfterSeconds?: number;
  /** getUpdates is spared by default, so the bot keeps receiving what users do; true storms it too. */
  includeGetUpdates?: boolean;
}

/** What the storm did so far, per kind (counts survive `end`, reset by the next `begin`). */
export type ApiStormHits = Record<ApiStormKind, number>;

export type ApiStormVerdict =
  { kind: 'serverError' | 'tooManyRequests'; error: BotApiErrorShape } | { kind: 'hang' };

const KINDS: ApiStormKind[] = ['serverError', 'tooManyRequests', 'hang'];

/**
 * A storm on the Bot API: while it blows, every method (getUpdates spared unless asked) answers
 * 500 Internal Server Error, 429 Too Many Requests with `parameters.retry_after`, or nothing at
 * all until the storm ends (then the socket is dropped) or the client gives up. The kinds take
 * turns in a fixed cycle built from the weights, so a run is repeatable. Unlike `failNext`, it
 * lasts until the test ends it, however many calls come.
 */
export class ApiStorm {
  private cycle: ApiStormKind[] = [];
  private next = 0;
  private options: Required<ApiStormOptions> = { retryAfterSeconds: 1, includeGetUpdates: false };
  private hits: ApiStormHits = { serverError: 0, tooManyRequests: 0, hang: 0 };
  private readonly held = new Set<() => void>();

  get active(): boolean {
    return this.cycle.length > 0;
  }

  begin(mix: ApiStormMix, options: ApiStormOptions = {}): void {
    const cycle = KINDS.flatMap((kind) => {
      const weight = mix[kind] ?? 0;
      if (!Number.isInteger(weight) || weight < 0)
        throw new Error(`Bot API storm: weight of ${kind} must be a whole number >= 0`);
      return Array.from({ length: weight }, () => kind);
    });
    if (cycle.length === 0) throw new Error('Bot API storm: give at least one kind a weight');
    this.cycle = cycle;
    this.next = 0;
    this.options = { retryAfterSeconds: 1, includeGetUpdates: false, ...options };
    this.hits = { serverError: 0, tooManyRequests: 0, hang: 0 };
  }

  /** Calm again: later calls are answered as usual; held calls are released (dropped) now. */
  end(): void {
    this.cycle = [];
    for (const release of this.held) release();
    this.held.clear();
  }

  counts(): ApiStormHits {
    return { ...this.hits };
  }

  /** The storm's answer to a call of `method`, or undefined when it passes. */
  take(method: string): ApiStormVerdict | undefined {
    if (!this.active) return undefined;
    if (!this.options.includeGetUpdates && method.toLowerCase() === 'getupdates') return undefined;
    const kind = this.cycle[this.next % this.cycle.length]!;
    this.next += 1;
    this.hits[kind] += 1;
    switch (kind) {
      case 'serverError':
        return { kind, error: { error_code: 500, description: 'Internal Server Error' } };
      case 'tooManyRequests': {
        const retryAfter = this.options.retryAfterSeconds;
        return {
          kind,
          error: {
            error_code: 429,
            description: `Too Many Requests: retry after ${retryAfter}`,
            parameters: { retry_after: retryAfter },
          },
        };
      }
      case 'hang':
        return { kind };
    }
  }

  /** Resolves when the storm ends or `signal` aborts (the client closed the connection). */
  hold(signal: AbortSignal): Promise<void> {
    if (!this.active || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const release = (): void => {
        this.held.delete(release);
        signal.removeEventListener('abort', release);
        resolve();
      };
      this.held.add(release);
      signal.addEventListener('abort', release, { once: true });
    });
  }
}
