import { Body, Controller, HttpCode, Post, UseFilters, UseGuards, UsePipes } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PublicThrottlerGuard } from '../auth/public-throttler.guard';
import { DomainErrorFilter } from '../errors/domain-error.filter';
import { DatabaseTextErrorFilter } from '../errors/database-text-error.filter';
import { strictValidation } from '../errors/strict-validation.pipe';
import { PlayerLoginService } from './player-login.service';
import { SessionModel } from './session.model';
import { TelegramLoginInput } from './telegram-login.input';

/** The same login over REST, for clients that post the widget's callback data directly. */
@ApiTags('auth')
@Controller('auth')
@UseGuards(PublicThrottlerGuard)
@UseFilters(DomainErrorFilter, DatabaseTextErrorFilter)
@UsePipes(strictValidation())
export class AuthController {
  constructor(private readonly login: PlayerLoginService) {}

  @Post('telegram')
  @HttpCode(200)
  @ApiOperation({ summary: 'Telegram Login Widget data -> a player session token' })
  @ApiOkResponse({ type: SessionModel })
  telegram(@Body() input: TelegramLoginInput): Promise<SessionModel> {
    return this.login.login(input);
  }
}
