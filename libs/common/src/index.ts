export * from './correlation';
export * from './domain-error';
export * from './throttled-log';
export * from './fixed-window-limiter';
