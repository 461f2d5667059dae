import { Body, Delete, Get, Param, Post, Put } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { XpRulesAdmin } from '@ttfd/economy';
import { AdminController } from '../admin-route.decorator';
import {
  AnnouncementsInput,
  GlobalMultiplierBody,
  XpEventInput,
  XpMultiplierInput,
  XpRulesModel,
} from './xp-rules.models';
import { xpRulesView } from './xp-rules.view';

/** The XP rules over REST (the same service as GraphQL); every answer is the rules after it. */
@AdminController('xp-rules', 'xp rules')
export class XpRulesController {
  constructor(private readonly admin: XpRulesAdmin) {}

  @Get()
  @ApiOperation({ summary: 'Every XP rule: multipliers, events, announcements, version' })
  async get(): Promise<XpRulesModel> {
    return xpRulesView(await this.admin.overview());
  }

  @Put('global')
  @ApiOperation({ summary: 'The global multiplier (0-10) of every XP source' })
  async setGlobal(@Body() body: GlobalMultiplierBody): Promise<XpRulesModel> {
    return xpRulesView(await this.admin.setGlobalMultiplier(body.multiplier));
  }

  @Put('multipliers')
  @ApiOperation({ summary: "Set a channel's or role's multiplier (0 = no XP there / with it)" })
  async setMultiplier(@Body() body: XpMultiplierInput): Promise<XpRulesModel> {
    return xpRulesView(
      await this.admin.setMultiplier(body.kind, body.targetId, body.multiplier, body.note),
    );
  }

  @Delete('multipliers/:kind/:targetId')
  @ApiOperation({ summary: "Remove a channel's or role's rule" })
  async removeMultiplier(
    @Param('kind') kind: string,
    @Param('targetId') targetId: string,
  ): Promise<XpRulesModel> {
    return xpRulesView(await this.admin.removeMultiplier(kind, targetId));
  }

  @Post('events')
  @ApiOperation({ summary: 'Schedule a double-XP event (times in COMMUNITY_TIMEZONE)' })
  async createEvent(@Body() body: XpEventInput): Promise<XpRulesModel> {
    return xpRulesView(await this.admin.createEvent(body));
  }

  @Delete('events/:id')
  @ApiOperation({ summary: 'Remove a double-XP event' })
  async deleteEvent(@Param('id') id: string): Promise<XpRulesModel> {
    return xpRulesView(await this.admin.deleteEvent(id));
  }

  @Put('announcements')
  @ApiOperation({ summary: 'Rank-up announcements: on/off, where, templates per language' })
  async setAnnouncements(@Body() body: AnnouncementsInput): Promise<XpRulesModel> {
    return xpRulesView(await this.admin.setAnnouncements(body));
  }
}
