/** The one method of a logger this needs (a Nest Logger or a pino logger both fit). */
export interface WarnSink {
  warn(message: string): void;
}

/**
 * Says a recurring problem once per interval per key (a connection that keeps failing, a route
 * Discord keeps throttling), with how many repeats it kept quiet since it last spoke. A dead
 * Redis retries every few hundred milliseconds: one line a minute says as much as thousands.
 */
export class ThrottledLog {
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly sink: WarnSink,
    private readonly intervalMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Logs `message` unless `key` spoke within the interval; returns whether it logged. */
  warn(key: string, message: string): boolean {
    const now = this.now();
    const seen = this.last.get(key);
    if (seen && now - seen.at < this.intervalMs) {
      seen.suppressed += 1;
      return false;
    }
    const repeats =
      seen && seen.suppressed > 0 ? ` (${seen.suppressed} more since the last report)` : '';
    this.last.set(key, { at: now, suppressed: 0 });
    if (this.last.size > 1_000) this.forgetOldest();
    this.sink.warn(`${message}${repeats}`);
    return true;
  }

  /** Bounded memory whatever the keys: the oldest half goes. */
  private forgetOldest(): void {
    const keys = [...this.last.keys()];
    for (const key of keys.slice(0, keys.length / 2)) this.last.delete(key);
  }
}

/** One line from any error: its class, code and message, never a multi-line stack. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  const codePart = code !== undefined && code !== null ? ` [${String(code)}]` : '';
  return `${error.name}${codePart}: ${error.message.split('\n')[0]}`;
}
