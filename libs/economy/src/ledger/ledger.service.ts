import { Injectable } from '@nestjs/common';
import { Clock } from '@ttfd/clock';
import { AppConfig } from '@ttfd/config';
import { Tx } from '@ttfd/database';
import { isAccountId } from '../accounts/accounts.service';
import { EconomyError } from '../economy.error';
import { grouped } from './amounts';
import { AwardStatement } from './award.statement';
import { CarefulAward } from './careful-award';
import { AwardInput, AwardResult } from './ledger.types';

type Mode = 'award' | 'adjust' | 'spend';

/**
 * The only writer of XP and coins (ARCHITECTURE.md flow 1). One business event = one ledger
 * row (XP and coins together), keyed by its idempotency key; totals move in the same
 * transaction with an atomic UPDATE, the rank follows the returned XP, and the outbox rows
 * are written before commit.
 */
@Injectable()
export class LedgerService {
  private readonly maxDelta: number;
  /** System awards (season prizes) have their own bound: SYSTEM_AWARD_MAX_DELTA. */
  private readonly systemMaxDelta: number;

  constructor(
    private readonly statement: AwardStatement,
    private readonly careful: CarefulAward,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.maxDelta = config.env.AWARD_MAX_DELTA;
    this.systemMaxDelta = config.systemAwardMaxDelta;
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
    // Metadata comes from our own rules, never from a caller: too much is a programming fault.
    if (input.metadata !== undefined && JSON.stringify(input.metadata).length > 2048) {
      throw new Error('A ledger entry keeps at most 2 KB of metadata');
    }
    const xp = input.xp ?? 0;
    const coins = input.coins ?? 0;
    const max = input.source === 'system' ? this.systemMaxDelta : this.maxDelta;
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
      if (Math.abs(value) > max) {
        const limit = input.source === 'system' ? 'SYSTEM_AWARD_MAX_DELTA' : 'AWARD_MAX_DELTA';
        throw new EconomyError(
          'AMOUNT_TOO_LARGE',
          `One change moves at most ${grouped(max)} ${name} (the award limit, ` +
            `${limit}); ${grouped(value)} is too large: split it into smaller changes`,
          { [name]: value, max },
        );
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

  /**
   * Round trips are the cost of an award (each query is a socket write and a wait): the usual
   * award is one statement (`AwardStatement`), in autocommit or inside the caller's transaction.
   * When it wrote nothing (the key was used, the account was merged or is unknown, the change
   * is refused), the careful path (`CarefulAward`) decides what to answer.
   */
  private async apply(
    input: AwardInput,
    xpDelta: number,
    coinsDelta: number,
    tx?: Tx,
  ): Promise<AwardResult> {
    // An id that is not one (ACCOUNT_NOT_FOUND) must not reach SQL as a bigint parameter: the
    // cast would fail and abort a caller's transaction.
    const done = isAccountId(input.accountId)
      ? await this.statement.run(input, xpDelta, coinsDelta, this.clock.now(), tx)
      : null;
    return done ?? this.careful.apply(input, xpDelta, coinsDelta, tx);
  }
}
