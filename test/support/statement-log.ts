import { Client } from 'pg';

/**
 * Records the statements this process's pg clients send, for the tests that count round trips:
 * `start` wraps `Client.prototype.query`, `stop` puts it back. A prepared statement is recorded
 * by its name when `names` is set (the award's one statement), otherwise by its text.
 */
export class StatementLog {
  private readonly sent: string[] = [];
  private original: typeof Client.prototype.query | null = null;

  constructor(private readonly options: { names?: boolean } = {}) {}

  start(): void {
    if (this.original) return;
    const original = Client.prototype.query;
    this.original = original;
    const sent = this.sent;
    const names = this.options.names === true;
    Client.prototype.query = function (this: Client, ...args: unknown[]) {
      const first = args[0] as string | { text: string; name?: string };
      sent.push(typeof first === 'string' ? first : (names && first.name) || first.text);
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof Client.prototype.query;
  }

  stop(): void {
    if (this.original) Client.prototype.query = this.original;
    this.original = null;
  }

  /** What `work` returned and the statements sent while it ran, in order. */
  async during<T>(work: () => Promise<T>): Promise<{ value: T; sql: string[] }> {
    const from = this.sent.length;
    const value = await work();
    return { value, sql: this.sent.slice(from) };
  }
}
