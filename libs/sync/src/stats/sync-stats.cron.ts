import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '@ttfd/config';
import { SyncStatsService } from './sync-stats.service';

/** The stats log line, every SYNC_STATS_INTERVAL_MS (a minute), as the seed had. */
@Injectable()
export class SyncStatsCron implements OnApplicationBootstrap {
  private readonly logger = new Logger('SyncStats');

  constructor(
    private readonly stats: SyncStatsService,
    private readonly scheduler: SchedulerRegistry,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const interval = setInterval(() => void this.log(), this.config.env.SYNC_STATS_INTERVAL_MS);
    this.scheduler.addInterval('sync-stats-log', interval);
  }

  async log(): Promise<void> {
    try {
      const s = await this.stats.stats(this.config.env.SYNC_STATS_WINDOW_MINUTES);
      this.logger.log(
        `sync: pending=${s.byStatus.pending} processing=${s.byStatus.processing} ` +
          `completed=${s.byStatus.completed} failed=${s.byStatus.failed} ` +
          `throughput=${s.throughputPerMinute.toFixed(1)}/min lag_p50=${s.lagMs.p50 ?? '-'}ms ` +
          `lag_p95=${s.lagMs.p95 ?? '-'}ms lag_max=${s.lagMs.max ?? '-'}ms ` +
          `oldest_pending=${s.oldestPendingAgeMs ?? '-'}ms`,
      );
    } catch (error) {
      this.logger.warn(`stats failed: ${(error as Error).message}`);
    }
  }
}
