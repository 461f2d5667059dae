/**
 * Polling waits. Tests wait for an effect (a role call, a reply) instead of sleeping a guessed
 * time: fast when the app is fast, and a clear message naming what never happened when not.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export async function waitFor<T>(
  probe: () => T | undefined | null | false,
  timeoutMs = 5_000,
  what = 'condition',
  intervalMs = 10,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = probe();
      if (value !== undefined && value !== null && value !== false) return value;
    } catch (error) {
      // A probe may throw while the world is half-built (e.g. member not there yet): keep polling.
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`fake discord: timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await sleep(intervalMs);
  }
}
