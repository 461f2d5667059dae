import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Clock } from '@ttfd/clock';
import { AppConfig } from '@ttfd/config';
import { ApiError } from '../errors/api.error';
import { requestOf } from './request-of';
import { viewerOf } from './viewer';

/**
 * `/admin/*` and admin GraphQL: `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant
 * time. Anything else is 401 / UNAUTHENTICATED, whether the token is wrong or absent.
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (viewerOf(requestOf(context), this.config, this.clock).kind === 'admin') return true;
    throw new ApiError('UNAUTHENTICATED', 'This operation needs the admin bearer token');
  }
}
