export * from './correlation';
export * from './domain-error';
export * from './fixed-window-limiter';
