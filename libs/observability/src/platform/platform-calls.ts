import { Injectable, Logger } from '@nestjs/common';
import { ThrottledLog } from '@ttfd/common';
import type { HealthState } from '../health/health.registry';
import { AppMetrics } from '../metrics/app.metrics';
import { CallWindow } from './call-window';

export type MetricsPlatform = 'telegram' | 'discord';
/**
 * `client_error`: the platform refused the request (a 4xx other than 429: a member who left, a
 * user who blocked the bot, 10062 Unknown interaction); `server_error`: a 5xx; `timeout`: no
 * answer in time, or no connection.
 */
export type PlatformCallOutcome =
  'ok' | 'rate_limited' | 'client_error' | 'server_error' | 'timeout';

/** The outcomes that say the platform is in trouble (a refusal of one request does not). */
const TROUBLE: ReadonlySet<PlatformCallOutcome> = new Set([
  'rate_limited',
  'server_error',
  'timeout',
]);

/** The outcome of an HTTP answer. */
export function outcomeOfStatus(status: number): PlatformCallOutcome {
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  return status >= 400 ? 'client_error' : 'ok';
}

/** Distinct route labels per platform before the rest are counted as `other`. */
const MAX_ROUTES = 100;
/** The last minute's failures that make a platform `degraded` in /health: at least this many... */
const DEGRADED_MIN_FAILURES = 3;
/** ...and at least this share of its calls. */
const DEGRADED_ERROR_RATE = 0.1;

/**
 * Every call to the Telegram and Discord APIs, counted where the adapters make them (discord.js
 * REST events, a wrapper around telegraf's callApi): `ttfd_platform_api_calls_total{platform,
 * route, outcome}`, the last minute's error rate for /health, and one warning a minute per
 * route while a platform throttles us.
 */
@Injectable()
export class PlatformCalls {
  private readonly logger = new Logger('PlatformCalls');
  private readonly throttling = new ThrottledLog(this.logger);
  private readonly windows: Record<MetricsPlatform, CallWindow> = {
    telegram: new CallWindow(),
    discord: new CallWindow(),
  };
  private readonly routes: Record<MetricsPlatform, Set<string>> = {
    telegram: new Set(),
    discord: new Set(),
  };

  constructor(private readonly metrics: AppMetrics) {}

  /** One call, by route template (never a raw URL with ids) or Bot API method. */
  record(platform: MetricsPlatform, route: string, outcome: PlatformCallOutcome): void {
    this.metrics.platformApiCalls.inc({
      platform,
      route: this.boundedRoute(platform, route),
      outcome,
    });
    this.windows[platform].add(Date.now(), TROUBLE.has(outcome));
  }

  /** The platform asked us to wait (a 429, or its rate-limit headers): one warning a minute per route. */
  throttled(platform: MetricsPlatform, route: string, waitMs: number, scope: string): void {
    this.throttling.warn(
      `${platform} ${route}`,
      `${platform} is throttling ${route} (${scope}): waiting ${Math.round(waitMs)} ms`,
    );
  }

  /**
   * The platform's part of /health: `degraded` when many of the last minute's calls met
   * trouble (429, 5xx, no answer); `errorRateLastMinute` is their share.
   */
  health(platform: MetricsPlatform): HealthState {
    const { calls, failures, errorRate } = this.windows[platform].stats(Date.now());
    const degraded = failures >= DEGRADED_MIN_FAILURES && errorRate >= DEGRADED_ERROR_RATE;
    return {
      status: degraded ? 'degraded' : 'ok',
      ...(degraded
        ? {
            detail: `${failures} of ${calls} API calls met 429, 5xx or no answer in the last minute`,
          }
        : {}),
      callsLastMinute: calls,
      errorRateLastMinute: Math.round(errorRate * 1000) / 1000,
    };
  }

  private boundedRoute(platform: MetricsPlatform, route: string): string {
    const seen = this.routes[platform];
    if (seen.has(route)) return route;
    if (seen.size >= MAX_ROUTES) return 'other';
    seen.add(route);
    return route;
  }
}
