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
import { KeyedEntry, LedgerRepository } from './ledger.repository';
import { AwardInput, AwardResult } from './ledger.types';

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
    private readonly ledger: LedgerRepository,
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
        const existing = await this.ledger.byKey(t, input.idempotencyKey);
        if (existing) return this.duplicate(t, existing, input);
        throw refusal;
      }

      const now = this.clock.now();
      const entryId = await this.ledger.insert(t, {
        accountId: account.id,
        xpDelta,
        coinsDelta,
        reason: input.reason,
        source: input.source,
        entityId: input.entityId ?? null,
        idempotencyKey: input.idempotencyKey,
        createdAt: now,
        seasonId,
        requestFingerprint: input.requestFingerprint ?? null,
        metadata: input.metadata ?? null,
      });
      if (entryId === null) {
        // Done before (or concurrently, for another account): the first one wins.
        const first = await this.ledger.byKey(t, input.idempotencyKey);
        if (!first) throw new Error(`Ledger key ${input.idempotencyKey} conflicted but is absent`);
        return this.duplicate(t, first, input);
      }

      // The row is locked, so its totals are current: the rank follows from them, and the
      // RETURNING proves it (a mismatch would be a locking bug, not a business case).
      const expectedXp = account.xp + xpDelta;
      const previousRankId = account.rankId;
      const rankId = rankForXp(expectedXp).id;
      const { xp, coins } = await this.accounts.addTotals(t, account.id, {
        xpDelta,
        coinsDelta,
        rankId,
        at: now,
      });
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
      if (await this.ledger.countedGoalReached(tx, accountId, input.reason, counted)) {
        candidates.push(counted.code);
      }
    }
    return candidates;
  }

  /**
   * The first result for a resent request. A key given by a caller (with a fingerprint) that
   * first served another request is refused instead: answering the other request's result would
   * tell the caller their change was made when it was not.
   */
  private async duplicate(tx: Tx, entry: KeyedEntry, input: AwardInput): Promise<AwardResult> {
    if (
      input.requestFingerprint !== undefined &&
      entry.requestFingerprint !== input.requestFingerprint
    ) {
      throw new EconomyError(
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was already used for a different request; use a new key',
      );
    }
    const survivorId = await this.accounts.resolveSurvivor(entry.accountId, tx);
    const account = await this.accounts.get(survivorId, tx);
    if (!account) throw new Error(`Account ${survivorId} vanished`);
    return {
      entryId: entry.id,
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
