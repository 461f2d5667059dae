import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * Physical time for pacing network calls. Deliberately NOT the domain Clock: business time
 * (days, cooldowns, expiries) is what tests move by jumps, while a rate limit is a promise to
 * Telegram's servers about real seconds. A frozen ManualClock must not freeze the sender, and a
 * jump of a day must not release a flood. Unit tests inject a fake Pacer.
 */
export abstract class Pacer {
  /** Monotonic milliseconds. */
  abstract now(): number;
  /** Resolves after `ms`, or at once when `signal` is aborted (shutdown gave up waiting). */
  abstract sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export class RealTimePacer extends Pacer {
  now(): number {
    return performance.now();
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (ms > 0 && !signal?.aborted) await delay(ms, undefined, { signal }).catch(() => undefined);
  }
}
