import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, localDate, startOfLocalDate } from '@ttfd/clock';
import { AppConfig } from '@ttfd/config';
import { inTransaction } from '@ttfd/database';
import {
  AccountsService,
  AchievementsService,
  AwardResult,
  LedgerService,
  XpRules,
} from '@ttfd/economy';
import { ChangeSource } from '@ttfd/sync';
import { GamesError } from '../games.error';
import { dailyReward, DAILY_STREAK_ACHIEVEMENT_DAYS, nextDate, previousDate } from './daily.rules';

export interface DailyClaimResult {
  date: string;
  streak: number;
  xp: number;
  coins: number;
  bonusXp: number;
  nextClaimAt: Date;
  award: AwardResult;
}

/**
 * The daily reward. One `daily_claims` row per account and community-zone date (its primary key
 * makes the day claimable once; yesterday's row carries the streak) and one ledger entry
 * `daily:{account}:{date}`, in one transaction.
 */
@Injectable()
export class DailyService {
  private readonly timeZone: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly accounts: AccountsService,
    private readonly ledger: LedgerService,
    private readonly achievements: AchievementsService,
    private readonly clock: Clock,
    config: AppConfig,
    private readonly rules: XpRules,
  ) {
    this.timeZone = config.communityTimeZone;
  }

  /** Claims today's reward; ALREADY_CLAIMED (details: nextClaimAt, streak) when done today. */
  async claim(accountId: string, source: ChangeSource): Promise<DailyClaimResult> {
    const now = this.clock.now();
    const date = localDate(now, this.timeZone);
    const nextClaimAt = startOfLocalDate(nextDate(date), this.timeZone);
    return inTransaction(this.dataSource, undefined, async (tx) => {
      // The account lock queues concurrent claims; the primary key would stop them anyway.
      const owner = (await this.accounts.lockSurvivor(accountId, tx)).id;
      const claimed: { streak: number }[] = await tx.manager.query(
        `INSERT INTO daily_claims (account_id, claim_date, streak, created_at)
         VALUES ($1, $2::date,
                 coalesce((SELECT streak FROM daily_claims
                            WHERE account_id = $1 AND claim_date = $3::date), 0) + 1,
                 $4)
         ON CONFLICT (account_id, claim_date) DO NOTHING
         RETURNING streak`,
        [owner, date, previousDate(date), now],
      );
      if (claimed.length === 0) {
        const today: { streak: number }[] = await tx.manager.query(
          `SELECT streak FROM daily_claims WHERE account_id = $1 AND claim_date = $2::date`,
          [owner, date],
        );
        throw new GamesError('ALREADY_CLAIMED', 'The daily reward was already claimed today', {
          date,
          nextClaimAt: nextClaimAt.toISOString(),
          streak: today[0]?.streak ?? 1,
        });
      }
      const streak = Number(claimed[0].streak);
      const base = dailyReward(streak);
      // The XP part follows the XP rules (a double-XP event for the daily); coins never do.
      const amount = this.rules.apply({ source: 'daily', base: base.xp, at: now });
      const xp = amount.earns ? amount.xp : 0;
      const reward = { ...base, xp };
      const award = await this.ledger.award(
        {
          accountId: owner,
          xp: reward.xp,
          coins: reward.coins,
          metadata: amount.metadata,
          reason: 'daily_reward',
          source,
          idempotencyKey: `daily:${owner}:${date}`,
          entityId: date,
        },
        tx,
      );
      if (streak >= DAILY_STREAK_ACHIEVEMENT_DAYS) {
        if (await this.achievements.unlock(tx, owner, 'daily_streak_7', source)) {
          award.unlocked.push('daily_streak_7');
        }
      }
      return { date, streak, ...reward, nextClaimAt, award };
    });
  }
}
