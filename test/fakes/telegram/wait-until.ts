import { setTimeout as delay } from 'node:timers/promises';

const POLL_INTERVAL_MS = 10;

/**
 * Re-checks `probe` every few ms until it returns something, instead of sleeping a guessed time.
 * On timeout the error says what was awaited and what was there, which is most of the debugging.
 */
export async function waitUntil<T>(
  probe: () => T | undefined,
  timeoutMs: number,
  describe: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = probe();
    if (found !== undefined) return found;
    if (Date.now() >= deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${describe()}`);
    await delay(POLL_INTERVAL_MS);
  }
}
