import { Global, Module } from '@nestjs/common';
import { AlertPublisher, LogAlertPublisher } from '../ports/alert-publisher';
import { NotifierRegistry, RoleGatewayRegistry } from '../ports/registries';
import { SyncQueues } from '../queues/sync-queues';
import { BullOutboxDispatcher } from './bull-outbox.dispatcher';
import { OutboxDispatcher } from './outbox.dispatcher';
import { OutboxWriter } from './outbox.writer';

const EXPORTS = [
  OutboxWriter,
  OutboxDispatcher,
  SyncQueues,
  NotifierRegistry,
  RoleGatewayRegistry,
  AlertPublisher,
];

/**
 * Loaded in every role: whoever changes data writes outbox rows and dispatches them after
 * commit; the bots register their ports here at boot.
 */
@Global()
@Module({
  providers: [
    OutboxWriter,
    SyncQueues,
    NotifierRegistry,
    RoleGatewayRegistry,
    { provide: OutboxDispatcher, useClass: BullOutboxDispatcher },
    { provide: AlertPublisher, useClass: LogAlertPublisher },
  ],
  exports: EXPORTS,
})
export class OutboxModule {}
