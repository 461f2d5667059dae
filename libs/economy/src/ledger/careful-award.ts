import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@ttfd/clock';
import { inTransaction, Tx } from '@ttfd/database';
import { NewSyncEvent, OutboxWriter } from '@ttfd/sync';
import { AccountsService } from '../accounts/accounts.service';
import { AchievementsService, unlockedEvents } from '../achievements/achievements.service';
import { EconomyError } from '../economy.error';
import { RANK_ACHIEVEMENTS, rankForXp } from '../ranks/ranks';
import { SeasonMembership } from '../seasons/season-membership';
import { grouped } from './amounts';
import { COUNTED_ACHIEVEMENTS, MAX_TOTAL } from './award.statement';
import { GAME_WIN_REASONS } from './ledger-reason';
import { AwardInput, AwardResult } from './ledger.types';

interface KeyedEntry {
  id: string;
  account_id: string;
  request_fingerprint: string | null;
}

/**
 * The award in several statements, for the cases the one statement (`AwardStatement`) leaves
 * alone: lock the account (following a merge), refuse with the precise reason, or answer a used
 * key with its first result. `LedgerService` validates and tries the one statement first; this
 * class is the slow path behind it, with the same rules.
 */
@Injectable()
export class CarefulAward {
  constructor(
    private readonly dataSource: DataSource,
    private readonly accounts: AccountsService,
    private readonly achievements: AchievementsService,
    private readonly outbox: OutboxWriter,
    private readonly seasons: SeasonMembership,
    private readonly clock: Clock,
  ) {}

  /**
   * The idempotency key is looked up only when needed: the insert's conflict says "already
   * done", and a refusal checks it first (a replayed spend is a duplicate, not "insufficient
   * coins").
   */
  apply(input: AwardInput, xpDelta: number, coinsDelta: number, tx?: Tx): Promise<AwardResult> {
    return inTransaction(this.dataSource, tx, async (t): Promise<AwardResult> => {
      // The season this row belongs to: decided by the season lock, never by the timestamp.
      const seasonId = await this.seasons.join(t);
      // Lock the survivor next: a merge cannot move the account under us, same-key requests
      // for one account queue here, and the totals read are the totals we update.
      const account = await this.accounts.lockSurvivor(input.accountId, t);

      // Refuse before writing anything, so a refusal inside a caller's transaction leaves no
      // trace even if the caller carries on. The CHECK constraints remain the last guard.
      const refusal = this.refusal(account, xpDelta, coinsDelta);
      if (refusal) {
        const existing = await this.entryByKey(t, input.idempotencyKey);
        if (existing) return this.duplicate(t, existing, input);
        throw refusal;
      }

      const now = this.clock.now();
      const inserted: { id: string }[] = await t.manager.query(
        `INSERT INTO ledger_entries
           (account_id, xp_delta, coins_delta, reason, source, entity_id, idempotency_key,
            created_at, season_id, request_fingerprint, metadata)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (idempotency_key) DO NOTHING
         RETURNING id`,
        [
          account.id,
          xpDelta,
          coinsDelta,
          input.reason,
          input.source,
          input.entityId ?? null,
          input.idempotencyKey,
          now,
          seasonId,
          input.requestFingerprint ?? null,
          input.metadata === undefined ? null : JSON.stringify(input.metadata),
        ],
      );
      if (inserted.length === 0) {
        // Done before (or concurrently, for another account): the first one wins.
        const first = await this.entryByKey(t, input.idempotencyKey);
        if (!first) throw new Error(`Ledger key ${input.idempotencyKey} conflicted but is absent`);
        return this.duplicate(t, first, input);
      }
      const entryId = String(inserted[0].id);

      // The row is locked, so its totals are current: the rank follows from them, and the
      // RETURNING proves it (a mismatch would be a locking bug, not a business case).
      const expectedXp = account.xp + xpDelta;
      const previousRankId = account.rankId;
      const rankId = rankForXp(expectedXp).id;
      // TypeORM answers an UPDATE with [rows, affectedCount].
      const [updated]: [{ xp: string; coins: string }[], number] = await t.manager.query(
        `UPDATE accounts SET xp = xp + $1, coins = coins + $2, rank_id = $3, updated_at = $4
          WHERE id = $5
          RETURNING xp, coins`,
        [xpDelta, coinsDelta, rankId, now, account.id],
      );
      const xp = Number(updated[0].xp);
      const coins = Number(updated[0].coins);
      if (xp !== expectedXp) {
        throw new Error(`Account ${account.id} moved while locked (${xp} != ${expectedXp})`);
      }
      await this.seasons.count(t, seasonId, account.id, xpDelta, now);

      // Only real effects go to the outbox: the ledger row is the record of the change itself.
      const events: NewSyncEvent[] = [];
      const base = { source: input.source, accountId: account.id, ledgerEntryId: entryId };
      if (rankId !== previousRankId) {
        events.push({
          ...base,
          type: 'rank.changed',
          payload: { from: previousRankId, to: rankId, xp },
        });
      }
      const unlocked = await this.achievements.unlockMany(
        t,
        account.id,
        await this.earnedAchievements(t, input, account.id, previousRankId, rankId),
      );
      events.push(...unlockedEvents(account.id, unlocked, input.source));
      await this.outbox.append(t, events);
      return {
        entryId,
        duplicate: false,
        accountId: account.id,
        xp,
        coins,
        rankId,
        previousRankId,
        unlocked,
      };
    });
  }

  private refusal(
    account: { xp: number; coins: number },
    xpDelta: number,
    coinsDelta: number,
  ): EconomyError | null {
    if (account.coins + coinsDelta < 0) {
      return new EconomyError('INSUFFICIENT_COINS', 'Not enough coins', {
        coins: account.coins,
        needed: -coinsDelta,
      });
    }
    // Totals stay exact JavaScript numbers (and GraphQL SafeInt values): 2^53-1 at most.
    for (const [name, total] of [
      ['xp', account.xp + xpDelta],
      ['coins', account.coins + coinsDelta],
    ] as const) {
      if (total > MAX_TOTAL) {
        return new EconomyError(
          'AMOUNT_TOO_LARGE',
          `The ${name} total would pass ${grouped(MAX_TOTAL)}, the largest the ledger keeps`,
          { [name]: total, max: MAX_TOTAL },
        );
      }
    }
    if (account.xp + xpDelta < 0) {
      return new EconomyError('XP_BELOW_ZERO', 'XP cannot go below zero', {
        xp: account.xp,
        delta: xpDelta,
      });
    }
    return null;
  }

  /**
   * The achievements this award may unlock: the rank goals it crosses, a game win, a counted
   * goal it reaches (already unlocked ones are skipped by the insert). The same rules as the
   * one-statement award's `earned`.
   */
  private async earnedAchievements(
    tx: Tx,
    input: AwardInput,
    accountId: string,
    previousRankId: number,
    rankId: number,
  ): Promise<string[]> {
    const candidates: string[] = [];
    for (const { rankId: needed, code } of RANK_ACHIEVEMENTS) {
      if (previousRankId < needed && rankId >= needed) candidates.push(code);
    }
    if (GAME_WIN_REASONS.includes(input.reason) && (input.xp ?? 0) > 0) {
      candidates.push('first_win');
    }
    const counted = COUNTED_ACHIEVEMENTS[input.reason];
    if (counted) {
      // One query, every message: not unlocked yet, and enough rows (counting stops at the goal).
      const rows: { earned: boolean }[] = await tx.manager.query(
        `SELECT NOT EXISTS (SELECT 1 FROM account_achievements
                             WHERE account_id = $1 AND achievement_code = $4)
            AND (SELECT count(*) FROM (SELECT 1 FROM ledger_entries
                                        WHERE account_id = $1 AND reason = $2 LIMIT $3) t) >= $3
                AS earned`,
        [accountId, input.reason, counted.count, counted.code],
      );
      if (rows[0].earned) candidates.push(counted.code);
    }
    return candidates;
  }

  private async entryByKey(tx: Tx, key: string): Promise<KeyedEntry | undefined> {
    const rows: KeyedEntry[] = await tx.manager.query(
      `SELECT id, account_id, request_fingerprint FROM ledger_entries WHERE idempotency_key = $1`,
      [key],
    );
    return rows[0];
  }

  /**
   * The first result for a resent request. A key given by a caller (with a fingerprint) that
   * first served another request is refused instead: answering the other request's result would
   * tell the caller their change was made when it was not.
   */
  private async duplicate(tx: Tx, entry: KeyedEntry, input: AwardInput): Promise<AwardResult> {
    if (
      input.requestFingerprint !== undefined &&
      entry.request_fingerprint !== input.requestFingerprint
    ) {
      throw new EconomyError(
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was already used for a different request; use a new key',
      );
    }
    const survivorId = await this.accounts.resolveSurvivor(String(entry.account_id), tx);
    const account = await this.accounts.get(survivorId, tx);
    if (!account) throw new Error(`Account ${survivorId} vanished`);
    return {
      entryId: String(entry.id),
      duplicate: true,
      accountId: account.id,
      xp: account.xp,
      coins: account.coins,
      rankId: account.rankId,
      previousRankId: account.rankId,
      unlocked: [],
    };
  }
}
