export * from './outbox/sync-event';
export * from './outbox/outbox.writer';
export * from './outbox/outbox.dispatcher';
export * from './sql';
