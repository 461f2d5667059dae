import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '@ttfd/clock';
import { AppConfig } from '@ttfd/config';
import { inTransaction, mutateReturning, Tx } from '@ttfd/database';
import { OutboxWriter } from '@ttfd/sync';
import { IdentityService } from './identity.service';
import { generateLinkCode, hashLinkCode, normalizeLinkCode } from './link-code';
import { identitiesOf } from './link-queries';
import { linkRefusal } from './link-refusal';
import { otherPlatform, Platform } from './platform';

/** A code taken by `consume`: whose it was and where it was issued. */
export interface ConsumedCode {
  account_id: string;
  issued_on: Platform;
}

export type ConsumeMiss = 'LINK_CODE_INVALID' | 'LINK_CODE_EXPIRED' | 'LINK_CODE_USED';

/**
 * The one-time link codes: issued to a player, burned when typed in public, consumed by a
 * redeem. Stored only as a keyed hash (`link-code.ts`).
 */
@Injectable()
export class LinkCodes {
  private readonly logger = new Logger(LinkCodes.name);
  private readonly pepper: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly identities: IdentityService,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {
    // The pepper must be the same in every process (a code issued by the Telegram bot is
    // redeemed by the Discord bot): an explicit pepper, else SESSION_SECRET when set.
    this.pepper = config.env.LINK_CODE_PEPPER ?? config.env.SESSION_SECRET ?? 'ttfd-link-code';
    if (!config.env.LINK_CODE_PEPPER && !config.env.SESSION_SECRET) {
      this.logger.warn(
        'Link codes are hashed without a secret pepper: set LINK_CODE_PEPPER or SESSION_SECRET',
      );
    }
  }

  /** A fresh code for the player's account; its previous unused code stops working. */
  async issueCode(
    platform: Platform,
    externalId: string,
  ): Promise<{ code: string; expiresAt: Date }> {
    const { accountId } = await this.identities.resolve(platform, externalId);
    return inTransaction(this.dataSource, undefined, async ({ manager }) => {
      const linked = await identitiesOf(manager, [accountId]);
      if (linked.some((row) => row.platform === otherPlatform(platform))) {
        throw linkRefusal('LINK_ALREADY_LINKED');
      }
      const now = this.clock.now();
      const expiresAt = new Date(now.getTime() + this.config.env.LINK_CODE_TTL_SECONDS * 1000);
      await manager.query(
        `UPDATE link_codes SET expires_at = $2
          WHERE account_id = $1 AND consumed_at IS NULL AND expires_at > $2`,
        [accountId, now],
      );
      // A clash of two live codes is ~1e-12 likely; the unique hash makes it a retry, not a bug.
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const code = generateLinkCode();
        const inserted: unknown[] = await manager.query(
          `INSERT INTO link_codes (code_hash, account_id, issued_on, expires_at, created_at)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (code_hash) DO NOTHING RETURNING id`,
          [hashLinkCode(code, this.pepper), accountId, platform, expiresAt, now],
        );
        if (inserted.length > 0) return { code, expiresAt };
      }
      throw new Error('Could not issue a unique link code');
    });
  }

  /**
   * A code typed where others could read it (a group chat) is burned: it stops working, and its
   * owner is told in private (a `link.code_burned` event) to get a new one. Nothing is said about
   * whether the text was a live code. Not counted as a wrong try: the typist guessed nothing.
   */
  async burn(input: string, source: Platform): Promise<void> {
    const code = normalizeLinkCode(input);
    if (!code) return;
    await inTransaction(this.dataSource, undefined, async (tx) => {
      const now = this.clock.now();
      const burned = await mutateReturning<{ account_id: string }>(
        tx.manager,
        `UPDATE link_codes SET expires_at = $2
          WHERE code_hash = $1 AND consumed_at IS NULL AND expires_at > $2
          RETURNING account_id`,
        [hashLinkCode(code, this.pepper), now],
      );
      if (burned.length === 0) return;
      await this.outbox.append(tx, [
        {
          type: 'link.code_burned',
          source,
          accountId: String(burned[0].account_id),
          payload: {},
        },
      ]);
    });
  }

  /** The unused codes of these accounts expire now: a merged profile issues new ones. */
  async expireOpen(tx: Tx, accountIds: string[], at: Date): Promise<void> {
    await tx.manager.query(
      `UPDATE link_codes SET expires_at = $2
        WHERE account_id = ANY($1::bigint[]) AND consumed_at IS NULL AND expires_at > $2`,
      [accountIds, at],
    );
  }

  /**
   * Consumes a normalized code with one conditional UPDATE, inside the redeeming transaction
   * (a refused merge rolls it back); on a miss, tells why.
   */
  async consume(
    manager: EntityManager,
    code: string,
    redeemerAccountId: string,
  ): Promise<ConsumedCode | { error: ConsumeMiss }> {
    const hash = hashLinkCode(code, this.pepper);
    const now = this.clock.now();
    const consumed = await mutateReturning<ConsumedCode>(
      manager,
      `UPDATE link_codes SET consumed_at = $2, consumed_by_account = $3
        WHERE code_hash = $1 AND consumed_at IS NULL AND expires_at > $2
        RETURNING account_id, issued_on`,
      [hash, now, redeemerAccountId],
    );
    if (consumed.length > 0) {
      return { account_id: String(consumed[0].account_id), issued_on: consumed[0].issued_on };
    }
    const rows: { consumed_at: Date | null }[] = await manager.query(
      `SELECT consumed_at FROM link_codes WHERE code_hash = $1`,
      [hash],
    );
    if (rows.length === 0) return { error: 'LINK_CODE_INVALID' };
    return { error: rows[0].consumed_at ? 'LINK_CODE_USED' : 'LINK_CODE_EXPIRED' };
  }
}
