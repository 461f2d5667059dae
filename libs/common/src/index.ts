export * from './correlation';
export * from './domain-error';
