import { Injectable } from '@nestjs/common';

export type HealthState = { ok: true; detail?: string } | { ok: false; detail: string };
export type HealthCheck = () => Promise<HealthState>;

/**
 * Readiness checks by name. Infrastructure registers Postgres and Redis; each enabled bot
 * registers its own connection, so /health reports exactly what this process runs.
 */
@Injectable()
export class HealthRegistry {
  private readonly checks = new Map<string, HealthCheck>();

  register(name: string, check: HealthCheck): void {
    this.checks.set(name, check);
  }

  async run(timeoutMs = 2_000): Promise<Record<string, HealthState>> {
    const entries = await Promise.all(
      [...this.checks].map(
        async ([name, check]) => [name, await withTimeout(check, timeoutMs)] as const,
      ),
    );
    return Object.fromEntries(entries);
  }
}

async function withTimeout(check: HealthCheck, timeoutMs: number): Promise<HealthState> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<HealthState>((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, detail: `no answer within ${timeoutMs} ms` }),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([
      check().catch((error: Error): HealthState => ({ ok: false, detail: error.message })),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
