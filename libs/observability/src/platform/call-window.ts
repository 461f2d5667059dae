const SLOTS = 60;
const SLOT_MS = 1_000;

export interface WindowStats {
  calls: number;
  failures: number;
  /** failures / calls, 0 when there were no calls. */
  errorRate: number;
}

/**
 * Calls and failures of the last minute in one-second slots: constant memory and constant
 * time per call, however many calls a storm makes.
 */
export class CallWindow {
  private readonly calls = new Array<number>(SLOTS).fill(0);
  private readonly failures = new Array<number>(SLOTS).fill(0);
  private readonly slotOf = new Array<number>(SLOTS).fill(-1);

  add(nowMs: number, failed: boolean): void {
    const slot = Math.floor(nowMs / SLOT_MS);
    const index = slot % SLOTS;
    if (this.slotOf[index] !== slot) {
      this.slotOf[index] = slot;
      this.calls[index] = 0;
      this.failures[index] = 0;
    }
    this.calls[index]! += 1;
    if (failed) this.failures[index]! += 1;
  }

  stats(nowMs: number): WindowStats {
    const current = Math.floor(nowMs / SLOT_MS);
    let calls = 0;
    let failures = 0;
    for (let index = 0; index < SLOTS; index++) {
      if (current - this.slotOf[index]! < SLOTS) {
        calls += this.calls[index]!;
        failures += this.failures[index]!;
      }
    }
    return { calls, failures, errorRate: calls === 0 ? 0 : failures / calls };
  }
}
