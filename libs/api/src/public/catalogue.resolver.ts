import { UseGuards } from '@nestjs/common';
import { Args, Context, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import {
  AchievementsService,
  AchievementView,
  LeaderboardService,
  RANKS,
  Rank,
  rankById,
  SeasonStandings,
  UnlockedAchievement,
} from '@ttfd/economy';
import { GraphqlContext } from '../auth/request-of';
import { PublicThrottlerGuard } from '../auth/public-throttler.guard';
import { AchievementModel, UnlockedAchievementModel } from './models/achievement.model';
import { LeaderboardEntryModel, LeaderboardPageModel } from './models/leaderboard.model';
import { RankModel } from './models/rank.model';
import { ReadLoaders } from './read-loaders';

/** Public reads: the rank table, the achievement catalogue and the leaderboards. */
@Resolver()
@UseGuards(PublicThrottlerGuard)
export class CatalogueResolver {
  constructor(
    private readonly achievementsService: AchievementsService,
    private readonly leaderboards: LeaderboardService,
    private readonly seasons: SeasonStandings,
  ) {}

  @Query(() => [RankModel])
  ranks(): readonly Rank[] {
    return RANKS;
  }

  @Query(() => [AchievementModel])
  achievements(): Promise<AchievementView[]> {
    return this.achievementsService.all();
  }

  @Query(() => LeaderboardPageModel, {
    description: 'All-time XP leaderboard, or a season standings page when `season` is given',
  })
  async leaderboard(
    @Args('season', { type: () => Int, nullable: true }) season: number | null,
    @Args('first', { type: () => Int, defaultValue: 10 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<LeaderboardPageModel> {
    if (season === null || season === undefined) {
      const page = await this.leaderboards.top(first, after);
      return { season: null, ...page };
    }
    const page = await this.seasons.standings(season, first, after);
    return {
      ...page,
      entries: page.entries.map(({ place, accountId, xp }) => ({ place, accountId, xp })),
    };
  }
}

/**
 * Fields of a leaderboard entry, batched per request (DataLoader). Nest runs no guards on field
 * resolvers (they are reached through a guarded root field); the guard states the intent.
 */
@Resolver(() => LeaderboardEntryModel)
@UseGuards(PublicThrottlerGuard)
export class LeaderboardEntryResolver {
  constructor(private readonly loaders: ReadLoaders) {}

  @ResolveField(() => RankModel, { nullable: true })
  async rank(
    @Parent() entry: LeaderboardEntryModel & { rankId?: number },
    @Context() { req }: GraphqlContext,
  ): Promise<Rank | null> {
    const rankId = entry.rankId ?? (await this.loaders.for(req).rankId.load(entry.accountId));
    return rankId ? rankById(rankId) : null;
  }

  @ResolveField(() => [UnlockedAchievementModel])
  achievements(
    @Parent() entry: LeaderboardEntryModel,
    @Context() { req }: GraphqlContext,
  ): Promise<UnlockedAchievement[]> {
    return this.loaders.for(req).achievements.load(entry.accountId);
  }
}
