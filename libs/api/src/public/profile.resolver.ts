import { UseGuards } from '@nestjs/common';
import { Args, Context, ID, Info, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { ProfileView, UnlockedAchievement } from '@ttfd/economy';
import { IdentityService } from '@ttfd/linking';
import { GraphqlContext } from '../auth/request-of';
import { PublicThrottlerGuard } from '../auth/public-throttler.guard';
import { ViewerContext } from '../auth/viewer-context.service';
import { UnlockedAchievementModel } from './models/achievement.model';
import { IdentityModel, ProfileModel } from './models/profile.model';
import { ReadLoaders } from './read-loaders';
import { selectsField } from './selected-fields';
import { SafeIntScalar } from './models/safe-int.scalar';

/** `profile(accountId)`, with the private fields gated on who is asking. */
@Resolver(() => ProfileModel)
@UseGuards(PublicThrottlerGuard)
export class ProfileResolver {
  constructor(
    private readonly loaders: ReadLoaders,
    private readonly viewers: ViewerContext,
    private readonly identityService: IdentityService,
  ) {}

  @Query(() => ProfileModel, { description: 'A player profile by account id (merged ids resolve)' })
  profile(
    @Args('accountId', { type: () => ID }) accountId: string,
    @Context() { req }: GraphqlContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ProfileView> {
    // The season place is a count that grows with the place: only when the query asks for it.
    const parts = { season: selectsField(info, 'season') };
    return this.loaders.for(req).profile.load({ accountId, parts });
  }

  @ResolveField(() => [UnlockedAchievementModel])
  achievements(@Parent() profile: ProfileView): UnlockedAchievement[] {
    return profile.achievements;
  }

  @ResolveField(() => SafeIntScalar, {
    nullable: true,
    description: 'Only for the player or an admin',
  })
  async coins(
    @Parent() profile: ProfileView,
    @Context() { req }: GraphqlContext,
  ): Promise<number | null> {
    return (await this.viewers.canSeePrivate(req, profile.accountId)) ? profile.coins : null;
  }

  @ResolveField(() => [IdentityModel], {
    nullable: true,
    description: 'Only for the player or an admin',
  })
  async identities(
    @Parent() profile: ProfileView,
    @Context() { req }: GraphqlContext,
  ): Promise<IdentityModel[] | null> {
    if (!(await this.viewers.canSeePrivate(req, profile.accountId))) return null;
    return identityList(await this.identityService.identitiesOf(profile.accountId));
  }
}

export function identityList(
  found: Awaited<ReturnType<IdentityService['identitiesOf']>>,
): IdentityModel[] {
  const list: IdentityModel[] = [];
  if (found.telegram) list.push({ platform: 'telegram', ...found.telegram });
  if (found.discord) list.push({ platform: 'discord', ...found.discord });
  return list;
}
