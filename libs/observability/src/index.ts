export * from './logging/logging.module';
export * from './health/health.registry';
export * from './health/health.module';
