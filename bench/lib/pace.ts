/**
 * Runs `work(i)` for i in [0, total) with at most `concurrency` in flight; the first error stops
 * new work and is thrown once the in-flight calls have settled.
 */
export async function runConcurrent(
  total: number,
  concurrency: number,
  work: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: unknown;
  const lane = async (): Promise<void> => {
    while (failure === undefined && next < total) {
      const index = next++;
      try {
        await work(index);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, lane));
  if (failure !== undefined) throw failure;
}

/**
 * Starts `work(i)` at a steady `ratePerSecond` for `durationMs` (open loop: a slow call does not
 * slow the schedule, so a saturated system shows up as backlog, not as a lower offered rate),
 * with at most `maxInFlight` outstanding. Returns how many were started and how many were
 * skipped because too many were in flight.
 */
export async function runAtRate(
  ratePerSecond: number,
  durationMs: number,
  maxInFlight: number,
  work: (index: number) => Promise<void>,
): Promise<{ started: number; skipped: number; errors: number }> {
  const started = performance.now();
  const total = Math.floor((ratePerSecond * durationMs) / 1000);
  let index = 0;
  let inFlight = 0;
  let skipped = 0;
  let errors = 0;
  const pending = new Set<Promise<void>>();
  while (index < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) * ratePerSecond) / 1000));
    while (index < due) {
      if (inFlight >= maxInFlight) {
        skipped += due - index;
        index = due;
        break;
      }
      const i = index++;
      inFlight += 1;
      const call: Promise<void> = work(i)
        .catch(() => {
          errors += 1;
        })
        .finally(() => {
          inFlight -= 1;
          pending.delete(call);
        });
      pending.add(call);
    }
    // 1 ms ticks: coarse enough to leave the event loop to the workers, fine enough for 1,000/s+.
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all([...pending]);
  return { started: index - skipped, skipped, errors };
}
