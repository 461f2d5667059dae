import { Injectable } from '@nestjs/common';
import { Clock } from '@ttfd/clock';
import {
  AccountsService,
  AchievementsService,
  LedgerRepository,
  RANK_ACHIEVEMENTS,
  SeasonMembership,
} from '@ttfd/economy';
import { GameSessionsService } from '@ttfd/games';
import { Tx } from '@ttfd/database';
import { NewSyncEvent, OutboxWriter } from '@ttfd/sync';
import { IdentityService } from './identity.service';
import { ConsumedCode, LinkCodes } from './link-codes.service';
import { identitiesOf } from './link-queries';
import { linkRefusal } from './link-refusal';
import { Platform } from './platform';

interface LockedAccount {
  id: string;
  rank_id: number;
  merged_into: string | null;
}

/**
 * The merge of a Telegram account with a Discord account once a code is consumed
 * (ARCHITECTURE.md flow 6): the account holding the Telegram identity survives and takes the
 * other's ledger, achievements, identities and open voice session; the other is marked
 * `merged_into` and emptied.
 */
@Injectable()
export class AccountMerge {
  constructor(
    private readonly outbox: OutboxWriter,
    private readonly accounts: AccountsService,
    private readonly ledger: LedgerRepository,
    private readonly achievements: AchievementsService,
    private readonly identities: IdentityService,
    private readonly codes: LinkCodes,
    private readonly games: GameSessionsService,
    private readonly seasons: SeasonMembership,
    private readonly clock: Clock,
  ) {}

  /** Inside the redeeming transaction. Throws (rolling the consume back) on refusal. */
  async merge(
    tx: Tx,
    code: ConsumedCode,
    redeemPlatform: Platform,
    redeemerAccountId: string,
  ): Promise<{ accountId: string; absorbedAccountId: string }> {
    const { manager } = tx;
    const issuerAccountId = code.account_id;
    if (issuerAccountId === redeemerAccountId) throw linkRefusal('LINK_SELF');
    if (code.issued_on === redeemPlatform) throw linkRefusal('LINK_SAME_PLATFORM');
    // Lock order (docs/economy-and-games.md): the games of both accounts (a game locks its
    // session before its account), the season, both accounts in id order, their voice
    // sessions. Two merges, a merge and a game, a merge and a voice checkpoint cannot deadlock.
    await this.games.lockActiveOf(tx, [issuerAccountId, redeemerAccountId]);
    const seasonId = await this.seasons.join(tx);
    const locked: LockedAccount[] = await manager.query(
      `SELECT id, rank_id, merged_into FROM accounts WHERE id = ANY($1::bigint[])
        ORDER BY id FOR UPDATE`,
      [[issuerAccountId, redeemerAccountId]],
    );
    if (locked.length !== 2 || locked.some((account) => account.merged_into !== null)) {
      // The issuing account was absorbed by another link since the code was issued.
      throw linkRefusal('LINK_CODE_INVALID');
    }
    const identities = await identitiesOf(manager, [issuerAccountId, redeemerAccountId]);
    const has = (accountId: string, platform: Platform) =>
      identities.find((row) => row.account_id === accountId && row.platform === platform);
    const issuerPlatform = code.issued_on;
    if (has(issuerAccountId, redeemPlatform) || has(redeemerAccountId, issuerPlatform)) {
      throw linkRefusal('LINK_ALREADY_LINKED');
    }
    const telegramAccountId = redeemPlatform === 'telegram' ? redeemerAccountId : issuerAccountId;
    const absorbedAccountId =
      telegramAccountId === issuerAccountId ? redeemerAccountId : issuerAccountId;
    const telegram = has(telegramAccountId, 'telegram');
    const discord = has(absorbedAccountId, 'discord');
    if (!telegram || !discord) throw linkRefusal('LINK_CODE_INVALID');
    const previousRankId = Number(
      locked.find((account) => String(account.id) === telegramAccountId)?.rank_id ?? 1,
    );
    const now = this.clock.now();

    await this.ledger.moveEntries(tx, absorbedAccountId, telegramAccountId);
    // The open season's standings follow the moved rows (closed seasons stay as frozen).
    await this.seasons.recount(tx, seasonId, [absorbedAccountId, telegramAccountId]);
    await this.achievements.moveAll(tx, absorbedAccountId, telegramAccountId);
    await this.identities.moveAll(tx, absorbedAccountId, telegramAccountId, now);
    await this.games.abandonActiveOf(tx, absorbedAccountId, now);
    // Voice minutes still being earned on Discord belong to the surviving profile now.
    await manager.query(
      `UPDATE voice_sessions SET account_id = $2 WHERE account_id = $1 AND status = 'open'`,
      [absorbedAccountId, telegramAccountId],
    );
    await this.codes.expireOpen(tx, [absorbedAccountId, telegramAccountId], now);
    await this.accounts.markMerged(tx, absorbedAccountId, telegramAccountId, now);
    // The survivor's totals and rank from its ledger, now holding both accounts' rows.
    const { after: totals } = await this.ledger.recompute(tx, telegramAccountId);
    const rankId = totals.rankId;

    const source = redeemPlatform;
    const events: NewSyncEvent[] = [
      {
        type: 'account.linked',
        source,
        accountId: telegramAccountId,
        payload: {
          telegramAccountId,
          absorbedAccountId,
          discordUserId: discord.external_id,
          telegramUserId: telegram.external_id,
        },
      },
    ];
    if (rankId !== previousRankId) {
      events.push({
        type: 'rank.changed',
        source,
        accountId: telegramAccountId,
        payload: { from: previousRankId, to: rankId, xp: Number(totals.xp) },
      });
    }
    const earned = [
      'linked',
      ...RANK_ACHIEVEMENTS.filter((a) => rankId >= a.rankId).map((a) => a.code),
    ];
    await this.outbox.append(tx, events);
    // The economy's own unlock: once per account, with its achievement.unlocked event.
    for (const code of earned) {
      await this.achievements.unlock(tx, telegramAccountId, code, source);
    }
    return { accountId: telegramAccountId, absorbedAccountId };
  }
}
