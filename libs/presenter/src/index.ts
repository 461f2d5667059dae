export * from './refusal-message';
