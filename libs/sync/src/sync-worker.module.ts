import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { BullModule } from '@nestjs/bullmq';
import { AppConfig } from '@ttfd/config';
import { redisOptions } from '@ttfd/database';
import { CleanupJob } from './cleanup/cleanup.job';
import { DmOptOuts } from './processing/dm-opt-outs';
import { NotificationEffects } from './processing/notification-effects';
import { SyncEffectsService } from './processing/sync-effects.service';
import { SyncLaneJob } from './processing/sync-lane.job';
import { JobHandlerRegistry } from './queues/job-handler.registry';
import { QUEUE_NAMES } from './queues/sync-jobs';
import { CleanupProcessor, ReconcileProcessor, SyncProcessor } from './queues/queue.processors';
import { AccountTotalsCheck } from './reconcile/account-totals.check';
import { MemberRolesCheck } from './reconcile/member-roles.check';
import { ReconcileAlerts } from './reconcile/reconcile-alerts';
import { ReconcileJob } from './reconcile/reconcile.job';
import { ReadCountersCheck } from './reconcile/read-counters.check';
import { ReconcileScope } from './reconcile/reconcile-scope';
import { SeasonScoresCheck } from './reconcile/season-scores.check';
import { SyncModule } from './sync.module';

/**
 * The `worker` role: BullMQ workers of the three queues and the jobs they run. Worker
 * connections block (maxRetriesPerRequest: null, as BullMQ requires) and may queue commands
 * while reconnecting; producers elsewhere fail fast (SyncQueues).
 */
@Module({
  imports: [
    DiscoveryModule,
    SyncModule,
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        connection: redisOptions(config.redis.url, {
          maxRetriesPerRequest: null,
          enableOfflineQueue: true,
        }),
        prefix: config.redis.prefix,
      }),
    }),
    // Registering the queues here loads @nestjs/bullmq's explorer, which starts a Worker per
    // @Processor with these (worker-grade) connection options.
    ...QUEUE_NAMES.map((name) => BullModule.registerQueue({ name })),
  ],
  providers: [
    JobHandlerRegistry,
    SyncProcessor,
    ReconcileProcessor,
    CleanupProcessor,
    SyncLaneJob,
    ReconcileJob,
    AccountTotalsCheck,
    MemberRolesCheck,
    ReconcileAlerts,
    SeasonScoresCheck,
    ReadCountersCheck,
    ReconcileScope,
    CleanupJob,
    SyncEffectsService,
    NotificationEffects,
    DmOptOuts,
  ],
})
export class SyncWorkerModule {}
