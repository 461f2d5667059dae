/**
 * Renews a lease every third of its length (at least every 100 ms) while work holds it, so a
 * slow holder (discord.js waiting out a 429) is not taken for a dead one. One renewal at a
 * time: a tick that finds the last one still running (a stalled database) skips. `stop()` ends
 * the ticks and waits for a renewal in flight, so what follows (the settle, the release) never
 * runs beside it: on a large batch a renewal and the settle update the same rows in different
 * orders and deadlock, and Postgres aborts one of them (a lost settle runs the batch again).
 *
 * `renew` reports its own failures (the next tick tries again); a rejection is ignored here.
 */
export class LeaseRenewal {
  private inFlight: Promise<void> | null = null;
  private readonly timer: NodeJS.Timeout;

  constructor(leaseMs: number, renew: () => Promise<unknown>) {
    this.timer = setInterval(
      () => {
        if (this.inFlight) return;
        this.inFlight = renew().then(
          () => undefined,
          () => undefined,
        );
        void this.inFlight.finally(() => (this.inFlight = null));
      },
      Math.max(100, Math.floor(leaseMs / 3)),
    );
    this.timer.unref(); // never what keeps a process alive
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.inFlight;
  }
}
