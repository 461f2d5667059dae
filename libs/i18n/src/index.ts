export * from './catalogue';
export * from './i18n';
export * from './community-time';
