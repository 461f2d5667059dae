import { DynamicModule, Type } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { ApiModule } from '@ttfd/api';
import { AppConfig, AppRole } from '@ttfd/config';
import { DiscordModule } from '@ttfd/discord';
import { EconomyModule, SeasonSchedulerModule } from '@ttfd/economy';
import { GamesModule } from '@ttfd/games';
import { ImportsWorkerModule } from '@ttfd/imports';
import { LinkingModule } from '@ttfd/linking';
import { OutboxModule, SyncModule, SyncSchedulerModule, SyncWorkerModule } from '@ttfd/sync';
import { TelegramModule } from '@ttfd/telegram';

type ModuleImport = Type<unknown> | DynamicModule;

/**
 * The domain every role uses (awards can come from the API, either bot or a worker): loaded
 * whatever APP_ROLES says.
 */
function coreModules(_config: AppConfig): ModuleImport[] {
  return [OutboxModule, SyncModule, EconomyModule, GamesModule, LinkingModule];
}

/**
 * What each APP_ROLES entry adds. A role that is off loads nothing: its modules, queues,
 * schedules and bot connections do not exist in the process.
 */
const ROLE_MODULES: Record<AppRole, (config: AppConfig) => ModuleImport[]> = {
  api: () => [ApiModule],
  telegram: (config) => [TelegramModule.forRoot(config)],
  discord: (config) => [DiscordModule.forRoot(config)],
  // A worker applies Discord roles and sends notifications over the platforms' REST APIs even
  // where the bots themselves run in other processes.
  worker: (config) => [
    SyncWorkerModule,
    ImportsWorkerModule,
    ...(config.discord && !config.hasRole('discord') ? [DiscordModule.restPorts(config)] : []),
    ...(config.telegram && !config.hasRole('telegram')
      ? [TelegramModule.notifierOnly(config)]
      : []),
  ],
  // ScheduleModule.forRoot() exactly once, here: every schedule lives in the scheduler role.
  scheduler: () => [ScheduleModule.forRoot(), SyncSchedulerModule, SeasonSchedulerModule],
};

export function roleModules(config: AppConfig): ModuleImport[] {
  return [
    ...coreModules(config),
    ...[...config.roles].flatMap((role) => ROLE_MODULES[role](config)),
    ...(config.discord ? [] : [DiscordModule.off()]),
    // A bot without a token is off; it says so in one log line rather than by silence.
    ...(config.telegram ? [] : [TelegramModule.off()]),
  ];
}
