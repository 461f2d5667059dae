import { UseGuards } from '@nestjs/common';
import { Args, ID, Int, Query, Resolver } from '@nestjs/graphql';
import { AppConfig } from '@ttfd/config';
import { AccountsService, AccountView, encodeCursor, SeasonsRepository } from '@ttfd/economy';
import { IdentityService } from '@ttfd/linking';
import { AdminTokenGuard } from '../auth/admin-token.guard';
import { PublicThrottlerGuard } from '../auth/public-throttler.guard';
import { AdminAccountModel, SyncEventModel } from '../admin/admin.models';
import { SyncEventsQuery, SyncEventView } from '../admin/sync/sync-events.query';
import { ApiError } from '../errors/api.error';
import { SeasonModel } from '../public/models/leaderboard.model';
import { DashboardStatsQuery } from './dashboard-stats.query';
import { CommunityOverviewModel, LoginOptionsModel } from './dashboard.models';
import { TelegramLoginBot } from './telegram-login-bot.service';

const clamp = (value: number, min: number, max: number) => Math.min(Math.max(value, min), max);

/** What the dashboard needs that the admin API did not have: aggregates and a lookup by id. */
@Resolver()
@UseGuards(AdminTokenGuard)
export class AdminDashboardResolver {
  constructor(
    private readonly stats: DashboardStatsQuery,
    private readonly identities: IdentityService,
    private readonly accounts: AccountsService,
    private readonly events: SyncEventsQuery,
    private readonly config: AppConfig,
  ) {}

  @Query(() => Int, {
    description: 'The largest amount one adjustment may move (AWARD_MAX_DELTA), for the form',
  })
  adjustmentLimit(): number {
    return this.config.env.AWARD_MAX_DELTA;
  }

  @Query(() => SyncEventModel, { nullable: true, description: 'One outbox event; null if unknown' })
  async syncEvent(@Args('id', { type: () => ID }) id: string): Promise<SyncEventView | null> {
    if (!/^[1-9]\d{0,17}$/.test(id)) throw new ApiError('BAD_REQUEST', 'id must be an event id');
    // The keyset page just below id + 1 starts at id itself when it exists.
    const page = await this.events.page({}, 1, encodeCursor({ i: String(BigInt(id) + 1n) }));
    const event = page.events[0];
    return event?.id === id ? event : null;
  }

  @Query(() => CommunityOverviewModel, {
    description: 'Players, linked share, XP today, and completed events / lag per bucket',
  })
  communityOverview(
    @Args('hours', { type: () => Int, defaultValue: 6 }) hours: number,
    @Args('bucketMinutes', { type: () => Int, defaultValue: 10 }) bucketMinutes: number,
  ): Promise<CommunityOverviewModel> {
    const bucket = clamp(bucketMinutes, 1, 1440);
    // At most 500 points: the chart has no use for more, and it bounds the work.
    return this.stats.overview(clamp(hours, 1, Math.floor((500 * bucket) / 60)), bucket);
  }

  @Query(() => AdminAccountModel, {
    nullable: true,
    description: 'The live account of a Telegram or Discord user id; null when unknown',
  })
  async accountByIdentity(
    @Args('platform') platform: string,
    @Args('externalId') externalId: string,
  ): Promise<AccountView | null> {
    if (platform !== 'telegram' && platform !== 'discord') {
      throw new ApiError('BAD_REQUEST', 'platform must be telegram or discord');
    }
    if (!/^\d{1,20}$/.test(externalId)) {
      throw new ApiError('BAD_REQUEST', 'externalId must be a numeric user id');
    }
    const accountId = await this.identities.find(platform, externalId);
    return accountId ? this.accounts.get(accountId) : null;
  }
}

/** Public reads for the dashboard: the list of seasons and how players can sign in. */
@Resolver()
@UseGuards(PublicThrottlerGuard)
export class DashboardPublicResolver {
  constructor(
    private readonly seasonRows: SeasonsRepository,
    private readonly loginBot: TelegramLoginBot,
  ) {}

  @Query(() => [SeasonModel], { description: 'Seasons, newest first (the open one included)' })
  async seasons(
    @Args('first', { type: () => Int, defaultValue: 20 }) first: number,
  ): Promise<SeasonModel[]> {
    return this.seasonRows.latest(clamp(first, 1, 100));
  }

  @Query(() => LoginOptionsModel)
  async loginOptions(): Promise<LoginOptionsModel> {
    return { telegramBot: await this.loginBot.botUsername() };
  }
}
