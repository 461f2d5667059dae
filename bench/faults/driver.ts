import { BENCH_ADMIN_TOKEN } from '../lib/constants';

/** What the driver fired and the API acknowledged (or may have applied: a timeout counts). */
export class Driver {
  /** key -> xp delta, for every adjustment sent (retried until answered). */
  readonly fired = new Map<string, number>();
  private counter = 0;

  constructor(
    private readonly apiUrl: () => string,
    private readonly accounts: string[],
    private readonly label: string,
  ) {}

  get totalXp(): number {
    let sum = 0;
    for (const delta of this.fired.values()) sum += delta;
    return sum;
  }

  /**
   * Fires `count` adjustments at ~`perSecond`, 8 at a time. Each is retried with the same
   * Idempotency-Key until the API answers 200 (an API outage is the drill's, not a loss): the
   * ledger must end with exactly one row per key.
   */
  async fire(count: number, perSecond: number): Promise<void> {
    const started = Date.now();
    const lanes = 8;
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < count) {
        const i = next++;
        const due = started + (i * 1000) / perSecond;
        if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
        const n = this.counter++;
        const key = `${this.label}-${n}`;
        const account = this.accounts[n % this.accounts.length];
        // Big enough to cross ranks often, so role effects keep flowing.
        const delta = 500 + ((n * 7919) % 4_000);
        this.fired.set(key, delta);
        await send(this.apiUrl(), account, key, delta);
      }
    };
    await Promise.all(Array.from({ length: lanes }, lane));
  }
}

/** One adjustment, resent with the same key until answered (bounded: 60 s). */
export async function send(
  apiUrl: string,
  accountId: string,
  key: string,
  delta: number,
): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const status = await fetch(`${apiUrl}/admin/accounts/${accountId}/adjustments`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${BENCH_ADMIN_TOKEN}`,
        'content-type': 'application/json',
        'idempotency-key': key,
      },
      body: JSON.stringify({ currency: 'xp', delta, reason: 'drill' }),
      signal: AbortSignal.timeout(5_000),
    })
      .then((response) => response.status)
      .catch(() => 0);
    if (status === 200) return;
    if (status >= 400 && status < 500) throw new Error(`adjustment ${key} refused: ${status}`);
    if (Date.now() > deadline) throw new Error(`adjustment ${key} unanswered for 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
