import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@ttfd/clock';
import { AppConfig } from '@ttfd/config';
import { inTransaction } from '@ttfd/database';
import { AccountsService } from '../accounts/accounts.service';
import { AchievementsService } from '../achievements/achievements.service';
import { LedgerService } from '../ledger/ledger.service';
import { SeasonsRepository } from './seasons.repository';

export interface SeasonPrize {
  place: number;
  accountId: string;
  coins: number;
  entryId: string | null;
}

/**
 * A closed season's podium, paid from the standings its close froze (`season_results`): coins
 * per place from SEASON_PRIZES through `award` with keys `season:{id}:prize:{place}`, and the
 * `season_top_3` achievement. Paid once; a payout that failed is retried by the next roll-over
 * (`prizes_paid_at` stays empty until every place is paid).
 */
@Injectable()
export class SeasonPayout {
  private readonly prizes: number[];

  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: LedgerService,
    private readonly achievements: AchievementsService,
    private readonly accounts: AccountsService,
    private readonly seasons: SeasonsRepository,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.prizes = config.env.SEASON_PRIZES.map(Number);
  }

  /**
   * Pays each podium place of a closed season; safe to repeat (idempotent keys). Locks accounts:
   * never call it while holding the season's lock (an award holding an account and waiting for
   * the season would deadlock with it).
   */
  async payPodium(seasonId: number): Promise<SeasonPrize[]> {
    const podium: { place: number; account_id: string }[] = await this.dataSource.query(
      `SELECT place, account_id FROM season_results WHERE season_id = $1 AND place <= $2
        ORDER BY place`,
      [seasonId, this.prizes.length],
    );
    const prizes: SeasonPrize[] = [];
    for (const standing of podium) {
      const place = Number(standing.place);
      const accountId = String(standing.account_id);
      const coins = this.prizes[place - 1] ?? 0;
      const entryId = await inTransaction(this.dataSource, undefined, async (tx) => {
        let paid: string | null = null;
        if (coins > 0) {
          const result = await this.ledger.award(
            {
              accountId,
              coins,
              reason: 'season_prize',
              source: 'system',
              idempotencyKey: `season:${seasonId}:prize:${place}`,
              entityId: String(seasonId),
            },
            tx,
          );
          paid = result.entryId;
        }
        // The survivor, if the winner was merged since: the award resolved it.
        const survivor = await this.accounts.resolveSurvivor(accountId, tx);
        if (place <= 3) await this.achievements.unlock(tx, survivor, 'season_top_3', 'system');
        return paid;
      });
      prizes.push({ place, accountId, coins, entryId });
    }
    await this.seasons.markPaid(seasonId, this.clock.now());
    return prizes;
  }
}
