export * from './economy-testing.module';
export * from './factories';
export * from './recording-outbox.dispatcher';
