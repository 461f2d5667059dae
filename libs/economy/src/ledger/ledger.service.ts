import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@ttfd/clock';
import { AppConfig } from '@ttfd/config';
import { inTransaction, Tx } from '@ttfd/database';
import { NewSyncEvent, OutboxWriter } from '@ttfd/sync';
import { AccountsService } from '../accounts/accounts.service';
import { AchievementsService } from '../achievements/achievements.service';
import { EconomyError } from '../economy.error';
import { RANK_ACHIEVEMENTS, rankForXp } from '../ranks/ranks';
import { GAME_WIN_REASONS, LedgerReason } from './ledger-reason';
import { AwardInput, AwardResult } from './ledger.types';

type Mode = 'award' | 'adjust' | 'spend';

/** Achievements that count ledger rows of one reason. */
const COUNTED_ACHIEVEMENTS: Partial<Record<LedgerReason, { code: string; count: number }>> = {
  discord_message: { code: 'messages_100', count: 100 },
  discord_voice: { code: 'voice_60', count: 60 },
};

/**
 * The only writer of XP and coins (ARCHITECTURE.md flow 1). One business event = one ledger
 * row (XP and coins together), keyed by its idempotency key; totals move in the same
 * transaction with an atomic UPDATE, the rank follows the returned XP, and the outbox rows
 * are written before commit.
 */
@Injectable()
export class LedgerService {
  private readonly maxDelta: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly accounts: AccountsService,
    private readonly achievements: AchievementsService,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.maxDelta = config.env.AWARD_MAX_DELTA;
  }

  /** Adds XP and/or coins (both >= 0, not both 0). */
  async award(input: AwardInput, tx?: Tx): Promise<AwardResult> {
    const { xp, coins } = this.validate(input, 'award');
    return this.apply(input, xp, coins, tx);
  }

  /** Admin correction: any sign; refused when XP or coins would go below zero. */
  async adjust(input: AwardInput, tx?: Tx): Promise<AwardResult> {
    const { xp, coins } = this.validate(input, 'adjust');
    return this.apply(input, xp, coins, tx);
  }

  /** Takes `input.coins` (> 0) from the balance; refused when it would go below zero. */
  async spend(input: AwardInput, tx?: Tx): Promise<AwardResult> {
    const { coins } = this.validate(input, 'spend');
    return this.apply(input, 0, -coins, tx);
  }

  private validate(input: AwardInput, mode: Mode): { xp: number; coins: number } {
    const key = input.idempotencyKey;
    if (typeof key !== 'string' || key.length < 1 || key.length > 200) {
      throw new EconomyError('INVALID_IDEMPOTENCY_KEY', 'The idempotency key must be 1-200 chars');
    }
    const xp = input.xp ?? 0;
    const coins = input.coins ?? 0;
    for (const [name, value] of [
      ['xp', xp],
      ['coins', coins],
    ] as const) {
      // Integer first, then size: 2 ** 60 is "too large", 1.5 is "invalid".
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        throw new EconomyError('INVALID_AMOUNT', `${name} must be a whole number`, {
          [name]: value,
        });
      }
      if (Math.abs(value) > this.maxDelta) {
        throw new EconomyError('AMOUNT_TOO_LARGE', `${name} exceeds ${this.maxDelta}`, {
          [name]: value,
          max: this.maxDelta,
        });
      }
    }
    if (xp === 0 && coins === 0) {
      throw new EconomyError('INVALID_AMOUNT', 'Nothing to change: XP and coins are both zero');
    }
    switch (mode) {
      case 'award':
        if (xp < 0 || coins < 0) {
          throw new EconomyError('INVALID_AMOUNT', 'An award cannot be negative', { xp, coins });
        }
        break;
      case 'spend':
        if (xp !== 0 || coins <= 0) {
          throw new EconomyError('INVALID_AMOUNT', 'A spend takes a positive number of coins', {
            xp,
            coins,
          });
        }
        break;
      case 'adjust':
        break;
    }
    return { xp, coins };
  }

  private apply(input: AwardInput, xpDelta: number, coinsDelta: number, tx?: Tx) {
    return inTransaction(this.dataSource, tx, async (t): Promise<AwardResult> => {
      // Lock the survivor first: a merge cannot move the account under us, and same-key
      // requests for one account queue here instead of racing on the insert.
      const account = await this.accounts.lockSurvivor(input.accountId, t);

      const existing = await this.entryByKey(t, input.idempotencyKey);
      if (existing) return this.duplicate(t, existing);

      // Refuse before writing anything, so a refusal inside a caller's transaction leaves no
      // trace even if the caller carries on. The CHECK constraints remain the last guard.
      if (account.coins + coinsDelta < 0) {
        throw new EconomyError('INSUFFICIENT_COINS', 'Not enough coins', {
          coins: account.coins,
          needed: -coinsDelta,
        });
      }
      if (account.xp + xpDelta < 0) {
        throw new EconomyError('XP_BELOW_ZERO', 'XP cannot go below zero', {
          xp: account.xp,
          delta: xpDelta,
        });
      }

      const now = this.clock.now();
      const inserted: { id: string }[] = await t.manager.query(
        `INSERT INTO ledger_entries
           (account_id, xp_delta, coins_delta, reason, source, entity_id, idempotency_key, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
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
        ],
      );
      if (inserted.length === 0) {
        // The same key was used concurrently for another account: the first one wins.
        const first = await this.entryByKey(t, input.idempotencyKey);
        if (!first) throw new Error(`Ledger key ${input.idempotencyKey} conflicted but is absent`);
        return this.duplicate(t, first);
      }
      const entryId = String(inserted[0].id);

      // TypeORM answers an UPDATE with [rows, affectedCount].
      const [updated]: [{ xp: string; coins: string; rank_id: number }[], number] =
        await t.manager.query(
          `UPDATE accounts SET xp = xp + $1, coins = coins + $2, updated_at = $3
          WHERE id = $4
          RETURNING xp, coins, rank_id`,
          [xpDelta, coinsDelta, now, account.id],
        );
      const xp = Number(updated[0].xp);
      const coins = Number(updated[0].coins);
      const previousRankId = Number(updated[0].rank_id);
      const rankId = rankForXp(xp).id;

      const events: NewSyncEvent[] = [];
      const base = { source: input.source, accountId: account.id, ledgerEntryId: entryId };
      if (xpDelta !== 0) {
        events.push({
          ...base,
          type: 'xp.changed',
          payload: { delta: xpDelta, xp, reason: input.reason, entryId },
        });
      }
      if (coinsDelta !== 0) {
        events.push({
          ...base,
          type: 'balance.changed',
          payload: { delta: coinsDelta, coins, reason: input.reason, entryId },
        });
      }
      if (rankId !== previousRankId) {
        await t.manager.query(`UPDATE accounts SET rank_id = $1 WHERE id = $2`, [
          rankId,
          account.id,
        ]);
        events.push({
          ...base,
          type: 'rank.changed',
          payload: { from: previousRankId, to: rankId, xp },
        });
      }
      await this.outbox.append(t, events);

      const unlocked = await this.unlockEarned(t, input, account.id, previousRankId, rankId);
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

  private async unlockEarned(
    tx: Tx,
    input: AwardInput,
    accountId: string,
    previousRankId: number,
    rankId: number,
  ): Promise<string[]> {
    const candidates: string[] = [];
    if (rankId > previousRankId) {
      for (const { rankId: needed, code } of RANK_ACHIEVEMENTS) {
        if (rankId >= needed) candidates.push(code);
      }
    }
    if (GAME_WIN_REASONS.includes(input.reason) && (input.xp ?? 0) > 0) {
      candidates.push('first_win');
    }
    const counted = COUNTED_ACHIEVEMENTS[input.reason];
    if (counted && !(await this.achievements.has(accountId, counted.code, tx))) {
      const rows: { n: number }[] = await tx.manager.query(
        `SELECT count(*)::int AS n FROM (
           SELECT 1 FROM ledger_entries WHERE account_id = $1 AND reason = $2 LIMIT $3) t`,
        [accountId, input.reason, counted.count],
      );
      if (rows[0].n >= counted.count) candidates.push(counted.code);
    }
    const unlocked: string[] = [];
    for (const code of candidates) {
      if (await this.achievements.unlock(tx, accountId, code, input.source)) unlocked.push(code);
    }
    return unlocked;
  }

  private async entryByKey(
    tx: Tx,
    key: string,
  ): Promise<{ id: string; account_id: string } | undefined> {
    const rows: { id: string; account_id: string }[] = await tx.manager.query(
      `SELECT id, account_id FROM ledger_entries WHERE idempotency_key = $1`,
      [key],
    );
    return rows[0];
  }

  private async duplicate(tx: Tx, entry: { id: string; account_id: string }): Promise<AwardResult> {
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
