import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Clock } from '@ttfd/clock';
import { AppConfig } from '@ttfd/config';
import { ApiError } from '../errors/api.error';
import { requestOf } from './request-of';
import { viewerOf } from './viewer';

/** Player operations: a valid, unexpired session token from `loginWithTelegram`. */
@Injectable()
export class PlayerSessionGuard implements CanActivate {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (viewerOf(requestOf(context), this.config, this.clock).kind === 'player') return true;
    throw new ApiError(
      'UNAUTHENTICATED',
      'Log in with Telegram first (Authorization: Bearer <session>)',
    );
  }
}
