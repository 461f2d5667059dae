import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { inTransaction } from '@ttfd/database';
import { GameSessionsService } from '@ttfd/games';
import { AccountMerge } from './account-merge.service';
import { IdentityService } from './identity.service';
import { normalizeLinkCode } from './link-code';
import { LinkAttemptLimiter } from './link-attempt-limiter';
import { ConsumeMiss, LinkCodes } from './link-codes.service';
import { linkRefusal } from './link-refusal';
import { Platform } from './platform';

/**
 * Why a code did not consume. Returned, not thrown, from the transaction so that the wrong try
 * it recorded commits; the refusal is thrown once it has.
 */
type RedeemOutcome =
  | { ok: true; result: { accountId: string; absorbedAccountId: string } }
  | { ok: false; code: ConsumeMiss };

/**
 * Redeeming a link code: one transaction that checks the redeemer's wrong-try limit, consumes
 * the code and merges the two accounts (`AccountMerge`).
 */
@Injectable()
export class LinkRedeemer {
  constructor(
    private readonly dataSource: DataSource,
    private readonly identities: IdentityService,
    private readonly codes: LinkCodes,
    private readonly limiter: LinkAttemptLimiter,
    private readonly accounts: AccountMerge,
    private readonly games: GameSessionsService,
  ) {}

  /**
   * Redeems a code issued on the other platform: merges the two accounts into the one holding
   * the Telegram identity. Wrong codes are counted per redeemer; past the limit every try is
   * refused, a right code included, until the window has passed.
   */
  async redeem(
    platform: Platform,
    externalId: string,
    input: string,
  ): Promise<{ accountId: string; absorbedAccountId: string }> {
    const { accountId: redeemerAccountId } = await this.identities.resolve(platform, externalId);
    const outcome = await inTransaction<RedeemOutcome>(this.dataSource, undefined, async (tx) => {
      const { manager } = tx;
      // Serializes one redeemer's tries, so parallel guesses cannot overrun the limit.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [
        `link:${platform}:${externalId}`,
      ]);
      // Before consuming the code: its foreign key to the redeemer's account takes a key-share
      // lock on that account, and a game locks its session before its account (lock order).
      await this.games.lockActiveOf(tx, [redeemerAccountId]);
      await this.limiter.assertAttemptsLeft(manager, platform, externalId);
      const code = normalizeLinkCode(input);
      if (!code) {
        await this.limiter.record(manager, platform, externalId, false);
        return { ok: false, code: 'LINK_CODE_INVALID' } as const;
      }
      const consumed = await this.codes.consume(manager, code, redeemerAccountId);
      if ('error' in consumed) {
        if (consumed.error === 'LINK_CODE_INVALID') {
          await this.limiter.record(manager, platform, externalId, false);
        }
        return { ok: false, code: consumed.error } as const;
      }
      const result = await this.accounts.merge(tx, consumed, platform, redeemerAccountId);
      await this.limiter.record(manager, platform, externalId, true);
      return { ok: true, result } as const;
    });
    if (outcome.ok) return outcome.result;
    throw linkRefusal(outcome.code);
  }
}
