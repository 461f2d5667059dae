import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLModule } from '@nestjs/graphql';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '@ttfd/config';
import { EconomyModule } from '@ttfd/economy';
import { ImportsModule } from '@ttfd/imports';
import { LinkingModule } from '@ttfd/linking';
import { GuildRoleCheck, RoleMappingsService, SyncModule } from '@ttfd/sync';
import { AppMetrics } from '@ttfd/observability';
import { AvatarFetcher } from '@ttfd/cards';
import { AvatarsController } from './avatars/avatars.controller';
import { PlayerAvatars } from './avatars/player-avatars';
import { DiscordApi } from './admin/discord-api';
import { AdminAccountsController } from './admin/accounts/admin-accounts.controller';
import { AdminAccountsService } from './admin/accounts/admin-accounts.service';
import { AdminAccountResolver, AdminResolver } from './admin/admin.resolver';
import { AchievementRolesController } from './admin/roles/achievement-roles.controller';
import { RankRolesController } from './admin/roles/rank-roles.controller';
import { DiscordGuildRoles } from './admin/roles/discord-guild-roles';
import { AdminImportsController } from './admin/imports/admin-imports.controller';
import { AdminSyncController } from './admin/sync/admin-sync.controller';
import { XpRulesController } from './admin/xp-rules/xp-rules.controller';
import { XpRulesResolver } from './admin/xp-rules.resolver';
import { SyncEventsQuery } from './admin/sync/sync-events.query';
import { AdminTokenGuard } from './auth/admin-token.guard';
import { DashboardStaticModule } from './dashboard/dashboard-static.module';
import { GraphqlExceptionsFilter } from './errors/graphql-exceptions.filter';
import { MalformedRequestFilter } from './errors/malformed-request.filter';
import { DashboardStatsQuery } from './dashboard/dashboard-stats.query';
import { AdminDashboardResolver, DashboardPublicResolver } from './dashboard/dashboard.resolver';
import { TelegramLoginBot } from './dashboard/telegram-login-bot.service';
import { PlayerRateLimitGuard } from './auth/player-rate-limit.guard';
import { PlayerSessionGuard } from './auth/player-session.guard';
import { PublicThrottlerGuard } from './auth/public-throttler.guard';
import { ViewerContext } from './auth/viewer-context.service';
import { graphqlOptions } from './graphql/graphql-options';
import { AuthController } from './player/auth.controller';
import { PlayerLoginService } from './player/player-login.service';
import { PlayerResolver } from './player/player.resolver';
import { PlayerSettingsController } from './player/player-settings.controller';
import { PlayerSettingsResolver } from './player/player-settings.resolver';
import { CatalogueResolver, LeaderboardEntryResolver } from './public/catalogue.resolver';
import { ProfileResolver } from './public/profile.resolver';
import { ReadLoaders } from './public/read-loaders';

/**
 * The API role: GraphQL at /graphql (public, player and admin operations), REST under /admin
 * and /auth, OpenAPI at /docs (set up by `setupApiDocs`), the built dashboard at `/`. Thin: every operation calls a domain
 * service; guards decide who may, the domain decides what happens.
 */
@Module({
  imports: [
    EconomyModule,
    LinkingModule,
    SyncModule,
    ImportsModule,
    // The dashboard's static files at `/`; its data comes from GraphQL like anyone's.
    DashboardStaticModule,
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      inject: [AppConfig, AppMetrics],
      useFactory: graphqlOptions,
    }),
    ThrottlerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        throttlers: [{ ttl: config.env.THROTTLE_TTL_MS, limit: config.env.THROTTLE_LIMIT }],
      }),
    }),
  ],
  controllers: [
    AuthController,
    RankRolesController,
    AchievementRolesController,
    AdminSyncController,
    AdminAccountsController,
    XpRulesController,
    PlayerSettingsController,
    AdminImportsController,
    AvatarsController,
  ],
  providers: [
    // Global filters: Nest tries the last registered first, so the catch-all comes first.
    { provide: APP_FILTER, useClass: GraphqlExceptionsFilter },
    // A body the parser refused never reaches a controller and its filters.
    { provide: APP_FILTER, useClass: MalformedRequestFilter },
    AdminTokenGuard,
    PlayerSessionGuard,
    PlayerRateLimitGuard,
    PublicThrottlerGuard,
    ViewerContext,
    ReadLoaders,
    PlayerLoginService,
    CatalogueResolver,
    LeaderboardEntryResolver,
    ProfileResolver,
    PlayerResolver,
    PlayerSettingsResolver,
    XpRulesResolver,
    RoleMappingsService,
    DiscordApi,
    DiscordGuildRoles,
    // RoleMappingsService (@ttfd/sync) checks role ids in the guild through this port.
    { provide: GuildRoleCheck, useExisting: DiscordGuildRoles },
    AvatarFetcher,
    PlayerAvatars,
    AdminAccountsService,
    SyncEventsQuery,
    AdminResolver,
    AdminAccountResolver,
    DashboardStatsQuery,
    TelegramLoginBot,
    AdminDashboardResolver,
    DashboardPublicResolver,
  ],
})
export class ApiModule {}
