import { Module } from '@nestjs/common';
import { CleanupCron } from './cleanup/cleanup.cron';
import { ReconcileCron } from './reconcile/reconcile.cron';
import { OutboxRelayCron } from './relay/outbox-relay.cron';
import { SyncStatsCron } from './stats/sync-stats.cron';
import { SyncModule } from './sync.module';

/**
 * The `scheduler` role: the outbox relay, the reconcile and cleanup crons and the stats log
 * line. Needs ScheduleModule.forRoot() once in the app (ROLE_MODULES.scheduler).
 */
@Module({
  imports: [SyncModule],
  providers: [OutboxRelayCron, ReconcileCron, CleanupCron, SyncStatsCron],
  exports: [OutboxRelayCron, ReconcileCron, CleanupCron],
})
export class SyncSchedulerModule {}
