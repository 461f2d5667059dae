import { UseGuards } from '@nestjs/common';
import { Args, Context, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import {
  AchievementsService,
  AchievementView,
  LeaderboardService,
  RANKS,
  Rank,
  rankById,
  rankProgress,
  SeasonStandings,
  UnlockedAchievement,
} from '@ttfd/economy';
import { GraphqlContext } from '../auth/request-of';
import { ViewerContext } from '../auth/viewer-context.service';
import { PublicThrottlerGuard } from '../auth/public-throttler.guard';
import { AchievementModel, UnlockedAchievementModel } from './models/achievement.model';
import {
  LeaderboardEntryModel,
  LeaderboardPageModel,
  LeaderboardStandingModel,
} from './models/leaderboard.model';
import { RankProgressModel } from './models/profile.model';
import { RankModel } from './models/rank.model';
import { PublicPlayer, ReadLoaders } from './read-loaders';

/** What a hidden player is called on public pages (the place is kept). */
export const HIDDEN_PLAYER_NAME = 'Hidden player';
/** A player with no display name on either platform (never their id or username). */
export const UNNAMED_PLAYER_NAME = 'Unnamed player';

/** Public reads: the rank table, the achievement catalogue and the leaderboards. */
@Resolver()
@UseGuards(PublicThrottlerGuard)
export class CatalogueResolver {
  constructor(
    private readonly achievementsService: AchievementsService,
    private readonly leaderboards: LeaderboardService,
    private readonly seasons: SeasonStandings,
    private readonly viewers: ViewerContext,
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

  @Query(() => LeaderboardStandingModel, {
    nullable: true,
    description:
      "The signed-in player's place on the all-time leaderboard or in `season`; null for anyone else or without XP there",
  })
  async myStanding(
    @Args('season', { type: () => Int, nullable: true }) season: number | null,
    @Context() { req }: GraphqlContext,
  ): Promise<LeaderboardStandingModel | null> {
    const accountId = await this.viewers.playerAccount(req);
    if (!accountId) return null;
    const standing =
      season === null || season === undefined
        ? await this.leaderboards.standingOf(accountId)
        : await this.seasons.standingOf(accountId, season);
    return standing ? { ...standing, accountId } : null;
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

  @ResolveField(() => String, {
    description: `The community display name (Discord nickname or global name, else the Telegram name); "${HIDDEN_PLAYER_NAME}" for a player who hid themselves`,
  })
  async name(
    @Parent() entry: LeaderboardEntryModel,
    @Context() { req }: GraphqlContext,
  ): Promise<string> {
    const player = await this.player(entry, req);
    if (!player || player.hidden) return HIDDEN_PLAYER_NAME;
    return player.displayName ?? UNNAMED_PLAYER_NAME;
  }

  @ResolveField(() => Boolean, { description: 'The player hid themselves from leaderboards' })
  async hidden(
    @Parent() entry: LeaderboardEntryModel,
    @Context() { req }: GraphqlContext,
  ): Promise<boolean> {
    return (await this.player(entry, req))?.hidden ?? true;
  }

  @ResolveField(() => String, {
    nullable: true,
    description: 'Path of the avatar on this server (GET, PNG), null when there is none to show',
  })
  async avatarUrl(
    @Parent() entry: LeaderboardEntryModel,
    @Context() { req }: GraphqlContext,
  ): Promise<string | null> {
    const player = await this.player(entry, req);
    return player && !player.hidden && player.hasDiscord ? `/avatars/${entry.accountId}` : null;
  }

  @ResolveField(() => RankProgressModel, { description: 'Progress to the next rank (all-time XP)' })
  async progress(
    @Parent() entry: LeaderboardEntryModel,
    @Context() { req }: GraphqlContext,
  ): Promise<RankProgressModel> {
    const { xpIntoRank, xpForNextRank, percent } = rankProgress(
      (await this.player(entry, req))?.xp ?? 0,
    );
    return { xpIntoRank, xpForNextRank, percent };
  }

  private player(
    entry: LeaderboardEntryModel,
    req: GraphqlContext['req'],
  ): Promise<PublicPlayer | null> {
    return this.loaders.for(req).publicPlayer.load(entry.accountId);
  }

  @ResolveField(() => [UnlockedAchievementModel])
  achievements(
    @Parent() entry: LeaderboardEntryModel,
    @Context() { req }: GraphqlContext,
  ): Promise<UnlockedAchievement[]> {
    return this.loaders.for(req).achievements.load(entry.accountId);
  }
}
