export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  jitter: boolean;
}

/**
 * Delay before attempt `attempt + 1`, after `attempt` failed ones (1-based): base * 2^(n-1),
 * capped. With jitter, "equal jitter": between half and all of it, so a burst of failures
 * (a Discord outage) does not retry in lockstep.
 */
export function backoffMs(
  attempt: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, attempt - 1);
  const raw = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(exponent, 40));
  if (!options.jitter) return Math.round(raw);
  return Math.round(raw / 2 + random() * (raw / 2));
}
