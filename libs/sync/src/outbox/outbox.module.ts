import { Global, Module } from '@nestjs/common';
import {
  AccountRecomputeRegistry,
  NotifierRegistry,
  RoleGatewayRegistry,
} from '../ports/registries';
import { RankUpListeners } from '../ports/rank-up-listeners';
import { SyncObservers } from '../ports/sync-observers';
import { SyncQueues } from '../queues/sync-queues';
import { LaneClaimers } from '../lanes/lane-claimers';
import { LaneWakeUps } from '../lanes/lane-wake-ups';
import { BullOutboxDispatcher } from './bull-outbox.dispatcher';
import { OutboxDispatcher } from './outbox.dispatcher';
import { OutboxWriter } from './outbox.writer';

const EXPORTS = [
  OutboxWriter,
  OutboxDispatcher,
  SyncQueues,
  LaneWakeUps,
  LaneClaimers,
  NotifierRegistry,
  RoleGatewayRegistry,
  SyncObservers,
  RankUpListeners,
  AccountRecomputeRegistry,
];

/**
 * Loaded in every role: whoever changes data writes outbox rows and wakes their lanes after
 * commit; the bots register their ports here at boot. The AlertPublisher port is bound by
 * observability's AlertsModule (loaded in every role), which logs each alert and routes it to
 * the operators' chats: one binding, so no module order decides where alerts go.
 */
@Global()
@Module({
  providers: [
    OutboxWriter,
    SyncQueues,
    LaneWakeUps,
    LaneClaimers,
    SyncObservers,
    RankUpListeners,
    NotifierRegistry,
    RoleGatewayRegistry,
    AccountRecomputeRegistry,
    { provide: OutboxDispatcher, useClass: BullOutboxDispatcher },
  ],
  exports: EXPORTS,
})
export class OutboxModule {}
