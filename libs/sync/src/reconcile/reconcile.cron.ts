import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { AppConfig } from '@ttfd/config';
import { ReconcileService } from './reconcile.service';

/** Every 15 minutes (RECONCILE_CRON, UTC): enqueues the slot's run. Cron only enqueues. */
@Injectable()
export class ReconcileCron implements OnApplicationBootstrap {
  private readonly logger = new Logger('ReconcileCron');

  constructor(
    private readonly reconcile: ReconcileService,
    private readonly scheduler: SchedulerRegistry,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const job = CronJob.from({
      cronTime: this.config.env.RECONCILE_CRON,
      onTick: () => void this.enqueue(),
      timeZone: 'UTC',
      start: true,
    });
    this.scheduler.addCronJob('sync-reconcile', job);
  }

  async enqueue(): Promise<void> {
    await this.reconcile
      .enqueueScheduled()
      .catch((error: Error) => this.logger.warn(`Reconcile not enqueued: ${error.message}`));
  }
}
