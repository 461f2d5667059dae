import { Module } from '@nestjs/common';
import { CleanupCron } from './cleanup/cleanup.cron';
import { ReconcileCron } from './reconcile/reconcile.cron';
import { LaneSweepCron } from './lanes/lane-sweep.cron';
import { SyncStatsCron } from './stats/sync-stats.cron';
import { SyncModule } from './sync.module';

/**
 * The `scheduler` role: the lane sweep, the reconcile and cleanup crons and the stats log
 * line. Needs ScheduleModule.forRoot() once in the app (ROLE_MODULES.scheduler).
 */
@Module({
  imports: [SyncModule],
  providers: [LaneSweepCron, ReconcileCron, CleanupCron, SyncStatsCron],
  exports: [LaneSweepCron, ReconcileCron, CleanupCron],
})
export class SyncSchedulerModule {}
