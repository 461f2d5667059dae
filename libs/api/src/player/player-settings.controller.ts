import { Body, Controller, Get, Put, Req, UseFilters, UseGuards, UsePipes } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { PlayerSettings, PlayerSettingsService } from '@ttfd/economy';
import { PlayerRateLimitGuard } from '../auth/player-rate-limit.guard';
import { PlayerSessionGuard } from '../auth/player-session.guard';
import { ViewerContext } from '../auth/viewer-context.service';
import { DatabaseTextErrorFilter } from '../errors/database-text-error.filter';
import { DomainErrorFilter } from '../errors/domain-error.filter';
import { strictValidation } from '../errors/strict-validation.pipe';
import { PlayerSettingsInput, PlayerSettingsModel } from './player-settings.models';

/** The same settings over REST, with the player's session token. */
@ApiTags('player')
@ApiBearerAuth()
@Controller('me/settings')
@UseGuards(PlayerSessionGuard)
@UseFilters(DomainErrorFilter, DatabaseTextErrorFilter)
@UsePipes(strictValidation())
export class PlayerSettingsController {
  constructor(
    private readonly viewers: ViewerContext,
    private readonly settings: PlayerSettingsService,
  ) {}

  @Get()
  @ApiOperation({ summary: "The logged-in player's settings" })
  @ApiOkResponse({ type: PlayerSettingsModel })
  async get(@Req() req: Request): Promise<PlayerSettings> {
    return this.settings.get(await this.viewers.requirePlayerAccount(req));
  }

  @Put()
  @UseGuards(PlayerRateLimitGuard)
  @ApiOperation({ summary: 'Change the given settings only' })
  @ApiOkResponse({ type: PlayerSettingsModel })
  async set(@Req() req: Request, @Body() body: PlayerSettingsInput): Promise<PlayerSettings> {
    return this.settings.set(await this.viewers.requirePlayerAccount(req), body);
  }
}
