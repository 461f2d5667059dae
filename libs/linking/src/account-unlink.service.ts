import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@ttfd/clock';
import { inTransaction } from '@ttfd/database';
import { OutboxWriter } from '@ttfd/sync';
import { IdentityService } from './identity.service';
import { identitiesOf, isLinked } from './link-queries';
import { linkRefusal } from './link-refusal';
import { Platform } from './platform';

/**
 * Splitting a linked account: the profile stays with the Telegram identity; the Discord identity
 * starts a new, empty account, so its roles fall to what an empty account earns.
 */
@Injectable()
export class AccountUnlink {
  constructor(
    private readonly dataSource: DataSource,
    private readonly identities: IdentityService,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
  ) {}

  /**
   * Refuses with LINK_NOT_LINKED unless the player's account holds both platforms: the bots ask
   * before an unlink only when there is something to unlink, and answer at once otherwise.
   */
  async requireLinked(platform: Platform, externalId: string): Promise<void> {
    const accountId = await this.identities.find(platform, externalId);
    const rows = accountId ? await identitiesOf(this.dataSource.manager, [accountId]) : [];
    if (!isLinked(rows)) throw linkRefusal('LINK_NOT_LINKED');
  }

  async unlink(
    platform: Platform,
    externalId: string,
  ): Promise<{ telegramAccountId: string; discordAccountId: string }> {
    return inTransaction(this.dataSource, undefined, async (tx) => {
      const { manager } = tx;
      const accountId = await this.identities.find(platform, externalId, tx);
      if (!accountId) throw linkRefusal('LINK_NOT_LINKED');
      await manager.query(`SELECT id FROM accounts WHERE id = $1 FOR UPDATE`, [accountId]);
      const rows = await identitiesOf(manager, [accountId]);
      const discord = rows.find((row) => row.platform === 'discord');
      if (!discord || !isLinked(rows)) throw linkRefusal('LINK_NOT_LINKED');
      const now = this.clock.now();
      const [fresh]: { id: string }[] = await manager.query(
        `INSERT INTO accounts (created_at, updated_at) VALUES ($1, $1) RETURNING id`,
        [now],
      );
      const discordAccountId = String(fresh.id);
      await manager.query(
        `UPDATE identities SET account_id = $2, updated_at = $3
          WHERE platform = 'discord' AND account_id = $1`,
        [accountId, discordAccountId, now],
      );
      // Voice sessions are Discord's: an open one credits the new Discord account from now on.
      await manager.query(
        `UPDATE voice_sessions SET account_id = $2 WHERE account_id = $1 AND status = 'open'`,
        [accountId, discordAccountId],
      );
      await this.outbox.append(tx, [
        {
          type: 'account.unlinked',
          source: platform,
          accountId: discordAccountId,
          payload: {
            telegramAccountId: accountId,
            discordAccountId,
            discordUserId: discord.external_id,
          },
        },
      ]);
      return { telegramAccountId: accountId, discordAccountId };
    });
  }
}
