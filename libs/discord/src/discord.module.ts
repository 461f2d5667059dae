import { DynamicModule, Logger, Module, OnModuleInit } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { Client } from 'discord.js';
import { NecordModule } from 'necord';
import { CardsModule } from '@ttfd/cards';
import { AppConfig } from '@ttfd/config';
import { EconomyModule } from '@ttfd/economy';
import { LinkingModule } from '@ttfd/linking';
import { PlatformCalls, watchRest } from '@ttfd/observability';
import { SyncModule } from '@ttfd/sync';
import { InteractionCorrelationInterceptor } from './commands/interaction-correlation.interceptor';
import { InteractionErrorsInterceptor } from './commands/interaction-errors.interceptor';
import { MemberCommandLimitInterceptor } from './commands/member-command-limit.interceptor';
import { CommandContext } from './commands/command-context';
import { DiscordAvatars } from './commands/discord-avatars';
import { LinkCommand } from './commands/link.command';
import { ProfileCommand } from './commands/profile.command';
import { StatsCommand } from './commands/stats.command';
import { SyncCommand } from './commands/sync.command';
import { TopCommand } from './commands/top.command';
import { SettingsCommand } from './commands/settings.command';
import { UnlinkCommand } from './commands/unlink.command';
import { necordOptions } from './discord-client.options';
import { DISCORD_REST, restClient, budgetedRestClients } from './rest/discord-rest';
import { DiscordSettings } from './discord-settings';
import { DiscordClientErrors } from './gateway/client-errors';
import { DiscordReadiness } from './gateway/discord-readiness.service';
import { MessageXpGate } from './messages/message-xp.gate';
import { MessageXpListener } from './messages/message-xp.listener';
import { UniformXpRandom, XpRandom } from './messages/xp-random';
import { DiscordAnnouncementChannel } from './notify/discord-announcement.channel';
import { DiscordNotifier } from './notify/discord.notifier';
import { DmChannels } from './notify/dm-channels';
import { DiscordBudget } from './rest/discord-budget';
import { RolePauses } from './roles/role-pauses';
import { DiscordPortsRegistration } from './roles/discord-ports.registration';
import { DiscordRoleGateway } from './roles/discord-role.gateway';
import { MemberRejoinListener } from './roles/member-rejoin.listener';
import { VoiceCreditor } from './voice/voice-creditor';
import { VoiceRoster } from './voice/voice-roster';
import { VoiceSessionCredits } from './voice/voice-session-credits';
import { VoiceSessionRepository } from './voice/voice-session.repository';
import { VoiceStateListener } from './voice/voice-state.listener';
import { VoiceTracker } from './voice/voice-tracker.service';

/** Loaded instead of the bot when DISCORD_BOT_TOKEN is unset: says so once, does nothing else. */
@Module({})
class DiscordOffModule implements OnModuleInit {
  onModuleInit(): void {
    new Logger('Discord').log('Discord bot off: DISCORD_BOT_TOKEN is not set');
  }
}

/** See DiscordModule.restPorts. */
@Module({})
class DiscordRestPortsModule {}

/**
 * The Discord adapter (necord): slash commands, message and voice XP, and the RoleGateway and
 * Notifier ports of @ttfd/sync. Loaded only by the `discord` role: one gateway session.
 * Needs from the application the TypeORM DataSource, Redis, Clock, AppConfig, HealthRegistry
 * and the sync engine's global providers (registries, convergence, admin, stats).
 */
@Module({})
export class DiscordModule {
  static forRoot(config: AppConfig): DynamicModule {
    if (!config.discord) return DiscordModule.off();
    const settings = new DiscordSettings(config);
    return {
      module: DiscordModule,
      imports: [
        NecordModule.forRoot(necordOptions(settings)),
        CardsModule,
        EconomyModule,
        LinkingModule,
        SyncModule,
      ],
      providers: [
        { provide: DiscordSettings, useValue: settings },
        { provide: XpRandom, useClass: UniformXpRandom },
        DiscordClientErrors,
        DiscordReadiness,
        // ports, over the bot client's own REST queue
        {
          provide: DISCORD_REST,
          inject: [Client, PlatformCalls],
          useFactory: (client: Client, calls: PlatformCalls) => watchRest(client.rest, calls),
        },
        ...budgetedRestClients(settings),
        DiscordRoleGateway,
        DmChannels,
        DiscordBudget,
        RolePauses,
        DiscordNotifier,
        DiscordAnnouncementChannel,
        DiscordPortsRegistration,
        MemberRejoinListener,
        // activity XP
        MessageXpGate,
        MessageXpListener,
        VoiceSessionRepository,
        VoiceCreditor,
        VoiceRoster,
        VoiceSessionCredits,
        VoiceTracker,
        VoiceStateListener,
        // slash commands
        { provide: APP_INTERCEPTOR, useClass: InteractionCorrelationInterceptor },
        { provide: APP_INTERCEPTOR, useClass: InteractionErrorsInterceptor },
        { provide: APP_INTERCEPTOR, useClass: MemberCommandLimitInterceptor },
        CommandContext,
        DiscordAvatars,
        LinkCommand,
        UnlinkCommand,
        ProfileCommand,
        SyncCommand,
        TopCommand,
        SettingsCommand,
        StatsCommand,
      ],
      exports: [DiscordSettings, DiscordRoleGateway, VoiceTracker],
    };
  }

  /**
   * The ports alone, for a process that runs the `worker` role without the `discord` role:
   * role changes and DMs over REST, no gateway session, no commands, no activity XP.
   */
  static restPorts(config: AppConfig): DynamicModule {
    if (!config.discord) return DiscordModule.off();
    const settings = new DiscordSettings(config);
    return {
      module: DiscordRestPortsModule,
      imports: [EconomyModule, LinkingModule],
      providers: [
        { provide: DiscordSettings, useValue: settings },
        {
          provide: DISCORD_REST,
          inject: [PlatformCalls],
          useFactory: (calls: PlatformCalls) => watchRest(restClient(settings), calls),
        },
        ...budgetedRestClients(settings),
        DiscordRoleGateway,
        DmChannels,
        DiscordBudget,
        RolePauses,
        DiscordNotifier,
        DiscordAnnouncementChannel,
        DiscordPortsRegistration,
      ],
    };
  }

  /** The one log line of a bot that is off. */
  static off(): DynamicModule {
    return { module: DiscordOffModule };
  }
}
