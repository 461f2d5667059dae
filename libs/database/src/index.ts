export * from './database.module';
export * from './data-source.factory';
export * from './embedded-postgres';
export * from './redact-url';
export * from './redis';
export * from './redis.module';
export * from './transaction';
export * from './outage';
