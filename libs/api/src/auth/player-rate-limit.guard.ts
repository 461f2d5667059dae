import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Clock } from '@ttfd/clock';
import { AppConfig } from '@ttfd/config';
import { ApiError } from '../errors/api.error';
import { FixedWindowLimiter } from '@ttfd/common';
import { requestOf } from './request-of';
import { viewerOf } from './viewer';

/**
 * Player mutations (link codes, unlink) per player: PLAYER_MUTATION_LIMIT per
 * PLAYER_MUTATION_WINDOW_MS, every call counted, aliases of one request included. Runs after
 * PlayerSessionGuard, so the caller is a known player.
 */
@Injectable()
export class PlayerRateLimitGuard implements CanActivate {
  private readonly limiter: FixedWindowLimiter;

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.limiter = new FixedWindowLimiter(
      config.env.PLAYER_MUTATION_LIMIT,
      config.env.PLAYER_MUTATION_WINDOW_MS,
    );
  }

  canActivate(context: ExecutionContext): boolean {
    const viewer = viewerOf(requestOf(context), this.config, this.clock);
    const key = viewer.kind === 'player' ? viewer.telegramId : viewer.kind;
    const retryAfterSeconds = this.limiter.hit(key, this.clock.nowMs());
    if (retryAfterSeconds === 0) return true;
    throw new ApiError(
      'RATE_LIMITED',
      `Too many changes to your account; try again in ${retryAfterSeconds} s`,
      { retryAfterSeconds },
    );
  }
}
