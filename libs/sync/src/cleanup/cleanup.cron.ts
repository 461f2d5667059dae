import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { Clock } from '@ttfd/clock';
import { AppConfig } from '@ttfd/config';
import { cleanupJobId } from '../queues/sync-jobs';
import { SyncQueues } from '../queues/sync-queues';

/** Daily (CLEANUP_CRON, UTC): enqueues `cleanup-YYYYMMDD`, once whatever the schedulers. */
@Injectable()
export class CleanupCron implements OnApplicationBootstrap {
  private readonly logger = new Logger('CleanupCron');

  constructor(
    private readonly queues: SyncQueues,
    private readonly scheduler: SchedulerRegistry,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const job = CronJob.from({
      cronTime: this.config.env.CLEANUP_CRON,
      onTick: () => void this.enqueue(),
      timeZone: 'UTC',
      start: true,
    });
    this.scheduler.addCronJob('sync-cleanup', job);
  }

  async enqueue(): Promise<string | null> {
    const now = this.clock.now();
    const jobId = cleanupJobId(now);
    try {
      await this.queues.add('cleanup.run', { day: now.toISOString().slice(0, 10) }, jobId);
      return jobId;
    } catch (error) {
      this.logger.warn(`Cleanup not enqueued: ${(error as Error).message}`);
      return null;
    }
  }
}
