export * from './catalogue';
export * from './i18n';
