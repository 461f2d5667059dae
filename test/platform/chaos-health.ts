/**
 * What the chaos test expects of `GET /health`, in one place so the body's shape can change
 * without touching the test: HTTP 200 as long as Postgres and Redis answer, whatever Discord and
 * Telegram do, and a body of the form
 *
 *   { status: 'ok' | 'degraded' | 'unavailable',
 *     checks: { postgres: {...}, redis: {...},
 *               discord: { status: 'ok' | 'degraded', ... }, telegram: { status: ..., ... } } }
 *
 * where a platform is 'degraded' while its calls fail (the last minute's error rate) and 'ok'
 * again once they succeed.
 */
export type Platform = 'discord' | 'telegram';

export interface HealthSample {
  /** ms since the storm began (negative before it, beyond its length after it). */
  at: number;
  /** HTTP status; 0 when /health did not answer within the poll's timeout. */
  status: number;
  body: unknown;
  error?: string;
}

const HEALTH_TIMEOUT_MS = 5_000;

export async function sampleHealth(baseUrl: string, at: number): Promise<HealthSample> {
  try {
    const response = await fetch(`${baseUrl}/health`, {
      signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: kept as text for the failure message
    }
    return { at, status: response.status, body };
  } catch (error) {
    return { at, status: 0, body: undefined, error: String(error) };
  }
}

/** `checks.<platform>.status` of a /health body, or undefined when the body has no such field. */
export function platformStatus(body: unknown, platform: Platform): string | undefined {
  const checks = (body as { checks?: Record<string, { status?: unknown }> } | undefined)?.checks;
  const status = checks?.[platform]?.status;
  return typeof status === 'string' ? status : undefined;
}

/** Every sample answered 200; names the first few that did not. */
export function expectHttp200Throughout(samples: HealthSample[]): void {
  const bad = samples.filter((sample) => sample.status !== 200);
  if (bad.length > 0) {
    throw new Error(
      `/health was not 200 in ${bad.length} of ${samples.length} polls, e.g.:\n` +
        bad
          .slice(0, 5)
          .map((s) => `  +${s.at} ms: ${s.status} ${s.error ?? JSON.stringify(s.body)}`)
          .join('\n'),
    );
  }
}

/** During the storm, each platform was reported 'degraded' at least once. */
export function expectPlatformsDegradedDuringStorm(
  samples: HealthSample[],
  platforms: Platform[] = ['discord', 'telegram'],
): void {
  for (const platform of platforms) {
    const seen = new Set(samples.map((sample) => platformStatus(sample.body, platform)));
    if (!seen.has('degraded')) {
      throw new Error(
        `/health never reported checks.${platform}.status 'degraded' during the storm ` +
          `(${samples.length} polls saw ${JSON.stringify([...seen].map((s) => s ?? null))}); ` +
          `last body: ${JSON.stringify(samples.at(-1)?.body)}`,
      );
    }
  }
}

/** True once the latest sample reports every platform 'ok'. */
export function platformsOk(
  sample: HealthSample,
  platforms: Platform[] = ['discord', 'telegram'],
): boolean {
  return (
    sample.status === 200 &&
    platforms.every((platform) => platformStatus(sample.body, platform) === 'ok')
  );
}

/** One line per poll outcome, for failure messages: `200 x 212, 0 x 3; discord: ok x 5, ...`. */
export function summarizeHealth(samples: HealthSample[]): string {
  const tally = (values: (string | number | undefined)[]): string =>
    [...values.reduce((m, v) => m.set(String(v), (m.get(String(v)) ?? 0) + 1), new Map())]
      .map(([value, n]) => `${value} x ${n}`)
      .join(', ');
  return (
    `/health polls: HTTP ${tally(samples.map((s) => s.status))}; ` +
    `discord: ${tally(samples.map((s) => platformStatus(s.body, 'discord')))}; ` +
    `telegram: ${tally(samples.map((s) => platformStatus(s.body, 'telegram')))}`
  );
}
