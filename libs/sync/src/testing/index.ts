export * from './in-memory-role-gateway';
export * from './recording-notifier';
