import { Injectable } from '@nestjs/common';

/**
 * `ok`: works. `degraded`: works badly or not at all, but the process still serves its other
 * work (a platform having a bad minute). `down`: a dependency the process cannot work without.
 */
export type HealthStatus = 'ok' | 'degraded' | 'down';
export type HealthState = {
  status: HealthStatus;
  detail?: string;
} & Record<string, string | number | boolean | undefined>;
export type HealthCheck = () => Promise<HealthState>;

/**
 * Critical checks (Postgres, Redis) decide readiness: without them nothing works, so a load
 * balancer should stop sending traffic. The platforms are not critical: a Discord bad minute
 * must not make a load balancer pull the API and the dashboard, so a bot reports `degraded` and
 * the process stays ready.
 */
export interface CheckOptions {
  critical: boolean;
}

export interface HealthReport {
  /** `unavailable` when a critical check is not ok; `degraded` when another one is not. */
  status: 'ok' | 'degraded' | 'unavailable';
  ready: boolean;
  checks: Record<string, HealthState>;
}

/**
 * Readiness checks by name. Infrastructure registers Postgres and Redis (critical); each enabled
 * bot registers its own (not critical), so /health reports exactly what this process runs.
 */
@Injectable()
export class HealthRegistry {
  private readonly checks = new Map<string, { check: HealthCheck; critical: boolean }>();

  register(name: string, check: HealthCheck, options: CheckOptions): void {
    this.checks.set(name, { check, critical: options.critical });
  }

  async run(timeoutMs = 2_000): Promise<HealthReport> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, { check, critical }]) => {
        const state = await withTimeout(check, timeoutMs);
        // A non-critical check that fails outright still only degrades the process.
        const status: HealthStatus =
          !critical && state.status === 'down' ? 'degraded' : state.status;
        return [name, { ...state, status }, critical] as const;
      }),
    );
    const ready = entries.every(([, state, critical]) => !critical || state.status === 'ok');
    const allOk = entries.every(([, state]) => state.status === 'ok');
    return {
      status: !ready ? 'unavailable' : allOk ? 'ok' : 'degraded',
      ready,
      checks: Object.fromEntries(entries.map(([name, state]) => [name, state])),
    };
  }
}

async function withTimeout(check: HealthCheck, timeoutMs: number): Promise<HealthState> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<HealthState>((resolve) => {
    timer = setTimeout(
      () => resolve({ status: 'down', detail: `no answer within ${timeoutMs} ms` }),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([
      check().catch((error: Error): HealthState => ({ status: 'down', detail: error.message })),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
