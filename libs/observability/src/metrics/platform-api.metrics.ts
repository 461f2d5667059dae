import { Injectable } from '@nestjs/common';
import { AppMetrics } from './app.metrics';

export type MetricsPlatform = 'telegram' | 'discord';
export type PlatformApiOutcome = 'ok' | 'error' | 'rate_limited';

/**
 * What the bot adapters call around every platform API request, so that errors and 429s of
 * both platforms land in one series (`ttfd_platform_api_calls_total{platform,outcome}`).
 */
@Injectable()
export class PlatformApiMetrics {
  constructor(private readonly metrics: AppMetrics) {}

  record(platform: MetricsPlatform, outcome: PlatformApiOutcome): void {
    this.metrics.platformApiCalls.inc({ platform, outcome });
  }
}
