import { Injectable } from '@nestjs/common';
import { Clock } from '@ttfd/clock';
import {
  AchievementsService,
  LedgerRepository,
  RANK_ACHIEVEMENTS,
  SeasonMembership,
} from '@ttfd/economy';
import { Tx } from '@ttfd/database';
import { NewSyncEvent, OutboxWriter } from '@ttfd/sync';
import { ConsumedCode } from './link-codes.service';
import { identitiesOf, lockActiveGames } from './link-queries';
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
    private readonly achievements: AchievementsService,
    private readonly seasons: SeasonMembership,
    private readonly ledger: LedgerRepository,
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
    await lockActiveGames(manager, [issuerAccountId, redeemerAccountId]);
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
    const params = [absorbedAccountId, telegramAccountId, now];

    await manager.query(
      `UPDATE ledger_entries SET account_id = $2 WHERE account_id = $1`,
      params.slice(0, 2),
    );
    // The open season's standings follow the moved rows (closed seasons stay as frozen).
    await this.seasons.recount(tx, seasonId, [absorbedAccountId, telegramAccountId]);
    // Earliest unlock wins; one row per code.
    await manager.query(
      `INSERT INTO account_achievements (account_id, achievement_code, unlocked_at)
       SELECT $2::bigint, achievement_code, unlocked_at FROM account_achievements WHERE account_id = $1
       ON CONFLICT (account_id, achievement_code)
       DO UPDATE SET unlocked_at = LEAST(account_achievements.unlocked_at, EXCLUDED.unlocked_at)`,
      params.slice(0, 2),
    );
    await manager.query(`DELETE FROM account_achievements WHERE account_id = $1`, [
      absorbedAccountId,
    ]);
    await manager.query(
      `UPDATE identities SET account_id = $2, updated_at = $3 WHERE account_id = $1`,
      params,
    );
    // A game started after the lock above is new and ours to end; one being played right now
    // holds its row and waits for the account: skip it (it pays the survivor, following
    // merged_into) rather than wait for it while holding the account.
    await manager.query(
      `UPDATE game_sessions SET status = 'abandoned', finished_at = $2, updated_at = $2
        WHERE id IN (SELECT id FROM game_sessions WHERE account_id = $1 AND status = 'active'
                     FOR UPDATE SKIP LOCKED)`,
      [absorbedAccountId, now],
    );
    // Voice minutes still being earned on Discord belong to the surviving profile now.
    await manager.query(
      `UPDATE voice_sessions SET account_id = $2 WHERE account_id = $1 AND status = 'open'`,
      params.slice(0, 2),
    );
    await manager.query(
      `UPDATE link_codes SET expires_at = $3
        WHERE account_id IN ($1, $2) AND consumed_at IS NULL AND expires_at > $3`,
      params,
    );
    await manager.query(
      `UPDATE accounts SET merged_into = $2, xp = 0, coins = 0, rank_id = 1, updated_at = $3
        WHERE id = $1`,
      params,
    );
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
