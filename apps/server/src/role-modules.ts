import { DynamicModule, Type } from '@nestjs/common';
import { AppConfig, AppRole } from '@ttfd/config';

type ModuleImport = Type<unknown> | DynamicModule;

/**
 * What each APP_ROLES entry loads. A role that is off loads nothing: its modules, queues,
 * schedules and bot connections do not exist in the process.
 */
const ROLE_MODULES: Record<AppRole, (config: AppConfig) => ModuleImport[]> = {
  api: () => [],
  telegram: () => [],
  discord: () => [],
  worker: () => [],
  scheduler: () => [],
};

export function roleModules(config: AppConfig): ModuleImport[] {
  return [...config.roles].flatMap((role) => ROLE_MODULES[role](config));
}
