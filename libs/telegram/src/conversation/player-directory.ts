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

  /**
   * The player's account and what `reads` find of it, waiting for one statement instead of two:
   * `byIdentity` runs beside the resolve, keyed by the Telegram identity, and names the account
   * it read. When that is not the account resolved (a player's first command creates the
   * identity; a link may move it between the two statements), `byAccount` reads again.
   */
  async resolveWith<T>(
    turn: Turn,
    reads: {
      byIdentity(externalId: string): Promise<{ accountId: string; value: T } | null>;
      byAccount(accountId: string): Promise<T>;
    },
  ): Promise<{ accountId: string; value: T }> {
    const [accountId, early] = await Promise.all([
      this.accountId(turn),
      reads.byIdentity(turn.externalId),
    ]);
    if (early?.accountId === accountId) return { accountId, value: early.value };
    return { accountId, value: await reads.byAccount(accountId) };
  }
}
