import { Module } from '@nestjs/common';
import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLModule } from '@nestjs/graphql';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '@ttfd/config';
import { EconomyModule } from '@ttfd/economy';
import { LinkingModule } from '@ttfd/linking';
import { AppMetrics } from '@ttfd/observability';
import { AdminTokenGuard } from './auth/admin-token.guard';
import { PlayerSessionGuard } from './auth/player-session.guard';
import { PublicThrottlerGuard } from './auth/public-throttler.guard';
import { ViewerContext } from './auth/viewer-context.service';
import { graphqlOptions } from './graphql/graphql-options';
import { AuthController } from './player/auth.controller';
import { PlayerLoginService } from './player/player-login.service';
import { PlayerResolver } from './player/player.resolver';
import { CatalogueResolver, LeaderboardEntryResolver } from './public/catalogue.resolver';
import { ProfileResolver } from './public/profile.resolver';
import { ReadLoaders } from './public/read-loaders';

/**
 * The API role: GraphQL at /graphql (public, player and admin operations), REST under /admin
 * and /auth, OpenAPI at /docs (set up by `setupApiDocs`). Thin: every operation calls a domain
 * service; guards decide who may, the domain decides what happens.
 */
@Module({
  imports: [
    EconomyModule,
    LinkingModule,
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
  controllers: [AuthController],
  providers: [
    AdminTokenGuard,
    PlayerSessionGuard,
    PublicThrottlerGuard,
    ViewerContext,
    ReadLoaders,
    PlayerLoginService,
    CatalogueResolver,
    LeaderboardEntryResolver,
    ProfileResolver,
    PlayerResolver,
  ],
})
export class ApiModule {}
