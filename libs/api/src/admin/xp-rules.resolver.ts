import { UseGuards, UsePipes } from '@nestjs/common';
import { Args, Float, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { XpRulesAdmin } from '@ttfd/economy';
import { AdminTokenGuard } from '../auth/admin-token.guard';
import { strictValidation } from '../errors/strict-validation.pipe';
import {
  AnnouncementsInput,
  XpEventInput,
  XpMultiplierInput,
  XpRulesModel,
} from './xp-rules/xp-rules.models';
import { xpRulesView } from './xp-rules/xp-rules.view';

/** The XP rules over GraphQL (the dashboard's settings page); the same service as REST. */
@Resolver()
@UseGuards(AdminTokenGuard)
@UsePipes(strictValidation())
export class XpRulesResolver {
  constructor(private readonly admin: XpRulesAdmin) {}

  @Query(() => XpRulesModel, { description: 'Every XP rule (admin)' })
  async xpRules(): Promise<XpRulesModel> {
    return xpRulesView(await this.admin.overview());
  }

  @Mutation(() => XpRulesModel)
  async setXpGlobalMultiplier(
    @Args('multiplier', { type: () => Float }) multiplier: number,
  ): Promise<XpRulesModel> {
    return xpRulesView(await this.admin.setGlobalMultiplier(multiplier));
  }

  @Mutation(() => XpRulesModel, { description: '0 makes a no-XP channel or role' })
  async setXpMultiplier(@Args('input') input: XpMultiplierInput): Promise<XpRulesModel> {
    return xpRulesView(
      await this.admin.setMultiplier(input.kind, input.targetId, input.multiplier, input.note),
    );
  }

  @Mutation(() => XpRulesModel)
  async removeXpMultiplier(
    @Args('kind') kind: string,
    @Args('targetId') targetId: string,
  ): Promise<XpRulesModel> {
    return xpRulesView(await this.admin.removeMultiplier(kind, targetId));
  }

  @Mutation(() => XpRulesModel)
  async createXpEvent(@Args('input') input: XpEventInput): Promise<XpRulesModel> {
    return xpRulesView(await this.admin.createEvent(input));
  }

  @Mutation(() => XpRulesModel)
  async deleteXpEvent(@Args('id', { type: () => ID }) id: string): Promise<XpRulesModel> {
    return xpRulesView(await this.admin.deleteEvent(id));
  }

  @Mutation(() => XpRulesModel)
  async setRankAnnouncements(@Args('input') input: AnnouncementsInput): Promise<XpRulesModel> {
    return xpRulesView(await this.admin.setAnnouncements(input));
  }
}
