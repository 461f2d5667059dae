import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AVATAR_CACHE_MS, PlayerAvatars } from './player-avatars';

/** Players' avatars from our own origin (the leaderboard's pictures). */
@ApiTags('public')
@Controller('avatars')
export class AvatarsController {
  constructor(private readonly avatars: PlayerAvatars) {}

  @Get(':accountId')
  @ApiOperation({
    summary: "A player's Discord avatar as PNG; 404 when there is none to show (initials)",
  })
  async avatar(@Param('accountId') accountId: string, @Res() res: Response): Promise<void> {
    const png = /^[1-9]\d{0,17}$/.test(accountId) ? await this.avatars.png(accountId) : null;
    // Browsers keep the answer as long as the server does (a 404 too: no re-asking per page).
    res.setHeader('Cache-Control', `public, max-age=${AVATAR_CACHE_MS / 1000}`);
    if (!png) {
      res.status(404).type('text/plain').send('No avatar');
      return;
    }
    res.status(200).type('image/png').send(png);
  }
}
