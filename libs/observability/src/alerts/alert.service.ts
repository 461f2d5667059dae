import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '@ttfd/clock';
import { AppConfig } from '@ttfd/config';
import { AppMetrics } from '../metrics/app.metrics';
import { Alert } from './alert';
import { ALERT_CHANNELS, AlertChannel } from './alert-channels';
import { AlertQuietPeriod } from './alert-quiet-period';

export type AlertOutcome = 'sent' | 'quiet' | 'no_channel' | 'failed';

/**
 * Delivers alerts to the operators' chats, at most once per kind per quiet period (across
 * processes). Delivery is direct (Bot API / Discord REST): an alert about a stuck outbox must
 * not wait in that outbox.
 */
@Injectable()
export class AlertService {
  private readonly logger = new Logger(AlertService.name);

  constructor(
    @Inject(ALERT_CHANNELS) private readonly channels: AlertChannel[],
    private readonly quiet: AlertQuietPeriod,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly metrics: AppMetrics,
  ) {}

  async raise(alert: Alert): Promise<AlertOutcome> {
    // Logged whatever happens next: the log is the record even when no chat is configured.
    this.logger.warn({ alert: alert.kind }, `ALERT ${alert.kind}: ${alert.message}`);
    if (this.channels.length === 0) return 'no_channel';
    const quietMs = this.config.env.ALERT_QUIET_PERIOD_MS;
    if (!(await this.quiet.claim(alert.kind, this.clock.nowMs(), quietMs))) return 'quiet';

    const text = `⚠️ TTFD Sync: ${alert.message}`;
    const results = await Promise.allSettled(this.channels.map((channel) => channel.send(text)));
    let delivered = 0;
    results.forEach((result, index) => {
      const channel = this.channels[index].name;
      if (result.status === 'fulfilled') {
        delivered += 1;
        this.metrics.alertsSent.inc({ kind: alert.kind, channel });
      } else {
        this.logger.error(
          `Alert ${alert.kind} not delivered to ${channel}: ${String(result.reason)}`,
        );
      }
    });
    if (delivered === 0) {
      await this.quiet.release(alert.kind);
      return 'failed';
    }
    return 'sent';
  }
}
