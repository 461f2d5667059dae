import { UseGuards, UsePipes } from '@nestjs/common';
import { Args, Context, Info, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { ProfileService, ProfileView } from '@ttfd/economy';
import { AccountUnlink, formatLinkCode, LinkCodes, LinkRedeemer } from '@ttfd/linking';
import { PlayerRateLimitGuard } from '../auth/player-rate-limit.guard';
import { PlayerSessionGuard } from '../auth/player-session.guard';
import { PublicThrottlerGuard } from '../auth/public-throttler.guard';
import { GraphqlContext } from '../auth/request-of';
import { ViewerContext } from '../auth/viewer-context.service';
import { strictValidation } from '../errors/strict-validation.pipe';
import { ProfileModel } from '../public/models/profile.model';
import { selectsField } from '../public/selected-fields';
import { LinkCodeModel, LinkResultModel, UnlinkResultModel } from './player.models';
import { PlayerLoginService } from './player-login.service';
import { SessionModel } from './session.model';
import { TelegramLoginInput } from './telegram-login.input';

/** Login (public, throttled) and what a logged-in player does with their own account. */
@Resolver()
@UsePipes(strictValidation())
export class PlayerResolver {
  constructor(
    private readonly login: PlayerLoginService,
    private readonly viewers: ViewerContext,
    private readonly profiles: ProfileService,
    private readonly codes: LinkCodes,
    private readonly redeemer: LinkRedeemer,
    private readonly unlinking: AccountUnlink,
  ) {}

  @Mutation(() => SessionModel, { description: 'Telegram Login Widget data -> a player session' })
  @UseGuards(PublicThrottlerGuard)
  loginWithTelegram(@Args('input') input: TelegramLoginInput): Promise<SessionModel> {
    return this.login.login(input);
  }

  @Query(() => ProfileModel, { description: "The logged-in player's own profile" })
  @UseGuards(PlayerSessionGuard)
  async me(
    @Context() { req }: GraphqlContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ProfileView> {
    return this.profiles.get(await this.viewers.requirePlayerAccount(req), {
      season: selectsField(info, 'season'),
    });
  }

  @Mutation(() => LinkCodeModel, { description: 'A one-time code to redeem in Discord (/link)' })
  @UseGuards(PlayerSessionGuard, PlayerRateLimitGuard)
  async createLinkCode(@Context() { req }: GraphqlContext): Promise<LinkCodeModel> {
    const issued = await this.codes.issueCode('telegram', this.viewers.telegramId(req));
    return { code: formatLinkCode(issued.code), expiresAt: issued.expiresAt };
  }

  @Mutation(() => LinkResultModel, { description: 'Redeem a code issued by the Discord bot' })
  @UseGuards(PlayerSessionGuard, PlayerRateLimitGuard)
  redeemLinkCode(
    @Args('code') code: string,
    @Context() { req }: GraphqlContext,
  ): Promise<LinkResultModel> {
    return this.redeemer.redeem('telegram', this.viewers.telegramId(req), code);
  }

  @Mutation(() => UnlinkResultModel, { description: 'Split the Discord identity off this account' })
  @UseGuards(PlayerSessionGuard, PlayerRateLimitGuard)
  unlink(@Context() { req }: GraphqlContext): Promise<UnlinkResultModel> {
    return this.unlinking.unlink('telegram', this.viewers.telegramId(req));
  }
}
