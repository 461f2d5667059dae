// No app imports here: specs that start the built app as a child process use it too.

/**
 * Polls `condition` until it returns a truthy value (or throws on timeout): no fixed sleeps.
 * The default timeout is a ceiling for a stalled CI machine (a passing wait returns at once;
 * waits of 10 s timed out in CI runs while the machine stalled), not an expectation.
 */
export async function waitFor<T>(
  condition: () => T | Promise<T>,
  { timeoutMs = 30_000, intervalMs = 25, what = 'condition' } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
