export * from './app-roles';
export * from './app-config';
export * from './config.module';
export { envSchema, parseRoles } from './env.schema';
export type { RawEnv } from './env.schema';
