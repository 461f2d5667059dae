import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { newCorrelationId, withCorrelation } from '@ttfd/common';
import { AppConfig } from '@ttfd/config';
import { assertCron } from './season-window';
import { SeasonsService } from './seasons.service';

export const SEASON_CRON_JOB = 'season-rollover';

/**
 * Closes the ended season and opens the next one at every firing of SEASON_CRON (in the
 * community zone), and once at start to catch up after downtime. Runs only under the
 * `scheduler` role. Several schedulers are harmless: closing is idempotent and one open season
 * is a unique index.
 */
@Injectable()
export class SeasonScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SeasonScheduler.name);
  private running: Promise<void> | null = null;

  constructor(
    private readonly seasons: SeasonsService,
    private readonly registry: SchedulerRegistry,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const cron = this.config.env.SEASON_CRON;
    assertCron(cron);
    const job = CronJob.from({
      cronTime: cron,
      timeZone: this.config.communityTimeZone,
      onTick: () => void this.tick(),
      start: true,
    });
    this.registry.addCronJob(SEASON_CRON_JOB, job);
    void this.tick();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.registry.doesExist('cron', SEASON_CRON_JOB)) {
      this.registry.deleteCronJob(SEASON_CRON_JOB);
    }
    await this.running;
  }

  /** One roll-over; never throws (a failure is logged and retried at the next firing). */
  tick(): Promise<void> {
    // Its own correlation: the podium's ledger rows and outbox events lead back to this run.
    this.running ??= withCorrelation(newCorrelationId('season'), () => this.rollOver()).finally(
      () => (this.running = null),
    );
    return this.running;
  }

  private async rollOver(): Promise<void> {
    try {
      const { closed, open } = await this.seasons.rollOver();
      for (const result of closed) {
        this.logger.log(
          `Season ${result.season.id} closed; prizes: ${
            result.prizes.map((p) => `#${p.place} account ${p.accountId} +${p.coins}`).join(', ') ||
            'none'
          }`,
        );
      }
      if (closed.length > 0)
        this.logger.log(`Season ${open.id} open until ${open.endsAt.toISOString()}`);
    } catch (error) {
      this.logger.error(`Season roll-over failed: ${(error as Error).message}`);
    }
  }
}
