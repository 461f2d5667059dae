import { UseGuards, UsePipes } from '@nestjs/common';
import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import { PlayerSettings, PlayerSettingsService } from '@ttfd/economy';
import { PlayerRateLimitGuard } from '../auth/player-rate-limit.guard';
import { PlayerSessionGuard } from '../auth/player-session.guard';
import { GraphqlContext } from '../auth/request-of';
import { ViewerContext } from '../auth/viewer-context.service';
import { strictValidation } from '../errors/strict-validation.pipe';
import { PlayerSettingsInput, PlayerSettingsModel } from './player-settings.models';

/** The logged-in player's own switches (the dashboard's settings section). */
@Resolver()
@UsePipes(strictValidation())
export class PlayerSettingsResolver {
  constructor(
    private readonly viewers: ViewerContext,
    private readonly settings: PlayerSettingsService,
  ) {}

  @Query(() => PlayerSettingsModel, { description: "The logged-in player's settings" })
  @UseGuards(PlayerSessionGuard)
  async mySettings(@Context() { req }: GraphqlContext): Promise<PlayerSettings> {
    return this.settings.get(await this.viewers.requirePlayerAccount(req));
  }

  @Mutation(() => PlayerSettingsModel, { description: 'Change the given settings only' })
  @UseGuards(PlayerSessionGuard, PlayerRateLimitGuard)
  async updateMySettings(
    @Args('input') input: PlayerSettingsInput,
    @Context() { req }: GraphqlContext,
  ): Promise<PlayerSettings> {
    return this.settings.set(await this.viewers.requirePlayerAccount(req), input);
  }
}
