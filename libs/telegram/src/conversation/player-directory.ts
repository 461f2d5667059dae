import { Injectable } from '@nestjs/common';
import { IdentityService } from '@ttfd/linking';
import type { Turn } from './turn';

/**
 * The player behind a Telegram user. Every command resolves through here, so a player who never
 * sent /start still gets an account, and a changed name or language is stored (notifications
 * read the language from the identity).
 */
@Injectable()
export class PlayerDirectory {
  constructor(private readonly identities: IdentityService) {}

  async resolve(turn: Turn): Promise<{ accountId: string; created: boolean }> {
    return this.identities.resolve('telegram', turn.externalId, {
      username: turn.from.username,
      displayName: turn.displayName,
      locale: turn.from.language_code,
    });
  }

  async accountId(turn: Turn): Promise<string> {
    return (await this.resolve(turn)).accountId;
  }
}
