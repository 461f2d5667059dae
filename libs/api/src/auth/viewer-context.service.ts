import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { Clock } from '@ttfd/clock';
import { AppConfig } from '@ttfd/config';
import { IdentityService } from '@ttfd/linking';
import { ApiError } from '../errors/api.error';
import { Viewer, viewerOf } from './viewer';

const ACCOUNT = new WeakMap<Request, Promise<string | null>>();

/** Who is asking and, for a player, which account is theirs (looked up once per request). */
@Injectable()
export class ViewerContext {
  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly identities: IdentityService,
  ) {}

  viewer(req: Request): Viewer {
    return viewerOf(req, this.config, this.clock);
  }

  /** The player's account (the identity always points at the live one), or null. */
  playerAccount(req: Request): Promise<string | null> {
    const viewer = this.viewer(req);
    if (viewer.kind !== 'player') return Promise.resolve(null);
    let found = ACCOUNT.get(req);
    if (!found) {
      found = this.identities.find('telegram', viewer.telegramId);
      ACCOUNT.set(req, found);
    }
    return found;
  }

  /** Like playerAccount, for player-only operations (behind PlayerSessionGuard). */
  async requirePlayerAccount(req: Request): Promise<string> {
    const accountId = await this.playerAccount(req);
    if (!accountId)
      throw new ApiError('UNAUTHENTICATED', 'This session has no account; log in again');
    return accountId;
  }

  /** True for an admin and for the player who owns the account: the only ones who see its coins. */
  async canSeePrivate(req: Request, accountId: string): Promise<boolean> {
    const viewer = this.viewer(req);
    switch (viewer.kind) {
      case 'admin':
        return true;
      case 'player':
        return (await this.playerAccount(req)) === accountId;
      case 'anonymous':
        return false;
    }
  }

  telegramId(req: Request): string {
    const viewer = this.viewer(req);
    if (viewer.kind !== 'player')
      throw new ApiError('UNAUTHENTICATED', 'Log in with Telegram first');
    return viewer.telegramId;
  }
}
