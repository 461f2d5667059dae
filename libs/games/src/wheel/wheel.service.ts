import { Injectable } from '@nestjs/common';
import { Clock, localDate, startOfLocalDate } from '@ttfd/clock';
import { AppConfig } from '@ttfd/config';
import { AccountsService, AwardResult, LedgerService, XpRules } from '@ttfd/economy';
import { ChangeSource } from '@ttfd/sync';
import { nextDate } from '../daily/daily.rules';
import { GamesError } from '../games.error';
import { RandomSource } from '../random/random-source';
import { pickPrize, WHEEL_PRIZES, WheelPrize } from './wheel';

export interface SpinResult {
  /** The prize as it landed; an XP prize's amount is the multiplied one (`baseAmount` before). */
  prize: WheelPrize;
  baseAmount: number;
  /** The community-zone date this spin belongs to. */
  date: string;
  nextSpinAt: Date;
  award: AwardResult;
}

/** The daily wheel: once per calendar day (`spin:{account}:{date}`), reason daily_spin. */
@Injectable()
export class WheelService {
  private readonly timeZone: string;

  constructor(
    private readonly ledger: LedgerService,
    private readonly accounts: AccountsService,
    private readonly random: RandomSource,
    private readonly clock: Clock,
    config: AppConfig,
    private readonly rules: XpRules,
  ) {
    this.timeZone = config.communityTimeZone;
  }

  prizes(): readonly WheelPrize[] {
    return WHEEL_PRIZES;
  }

  /**
   * Spins once a day. The ledger key decides: of two spins at once, one pays and the other is
   * refused with ALREADY_SPUN (details: nextSpinAt).
   */
  async spin(accountId: string, source: ChangeSource): Promise<SpinResult> {
    const owner = await this.accounts.resolveSurvivor(accountId);
    const date = localDate(this.clock.now(), this.timeZone);
    const nextSpinAt = startOfLocalDate(nextDate(date), this.timeZone);
    const landed = pickPrize(WHEEL_PRIZES, this.random.next());
    // XP prizes follow the XP rules (a double-XP event for games doubles them); coins never do.
    const amount =
      landed.kind === 'xp'
        ? this.rules.applyPinned(this.rules.pin('games'), 'games', landed.amount)
        : null;
    const prize = amount ? { ...landed, amount: amount.xp } : landed;
    const award = await this.ledger.award({
      accountId: owner,
      xp: amount ? amount.xp : 0,
      coins: prize.kind === 'coins' ? prize.amount : 0,
      metadata: amount?.metadata,
      reason: 'daily_spin',
      source,
      idempotencyKey: `spin:${owner}:${date}`,
      entityId: prize.id,
    });
    if (award.duplicate) {
      throw new GamesError('ALREADY_SPUN', 'The wheel was already spun today', {
        date,
        nextSpinAt: nextSpinAt.toISOString(),
      });
    }
    return { prize, baseAmount: landed.amount, date, nextSpinAt, award };
  }
}
