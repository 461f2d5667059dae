import { Injectable } from '@nestjs/common';
import { AccountsService } from '../accounts/accounts.service';
import { AchievementsService, UnlockedAchievement } from '../achievements/achievements.service';
import { EconomyError } from '../economy.error';
import { Rank, rankProgress } from '../ranks/ranks';
import { SeasonStandings } from '../seasons/season-standings.service';

export interface ProfileView {
  /** The survivor's id (differs from the asked id when that account was merged). */
  accountId: string;
  xp: number;
  coins: number;
  rank: Rank;
  nextRank: Rank | null;
  progress: { xpIntoRank: number; xpForNextRank: number; percent: number };
  achievements: UnlockedAchievement[];
  /** Place in the open season; null when no season is open or no XP was earned in it. */
  season: { seasonId: number; place: number; xp: number } | null;
}

/** The read model behind `/profile` in both bots and the API. */
@Injectable()
export class ProfileService {
  constructor(
    private readonly accounts: AccountsService,
    private readonly achievements: AchievementsService,
    private readonly standings: SeasonStandings,
  ) {}

  /**
   * Three reads, the last two at once: the survivor with its totals, its achievements, its place
   * in the open season (SeasonStandings.openSeasonPlaceOf).
   */
  async get(accountId: string): Promise<ProfileView> {
    const account = await this.accounts.getSurvivor(accountId);
    if (!account) {
      throw new EconomyError('ACCOUNT_NOT_FOUND', `Account ${accountId} does not exist`, {
        accountId,
      });
    }
    const progress = rankProgress(account.xp);
    const [achievements, season] = await Promise.all([
      this.achievements.of(account.id),
      this.standings.openSeasonPlaceOf(account.id),
    ]);
    return {
      accountId: account.id,
      xp: account.xp,
      coins: account.coins,
      rank: progress.rank,
      nextRank: progress.next,
      progress: {
        xpIntoRank: progress.xpIntoRank,
        xpForNextRank: progress.xpForNextRank,
        percent: progress.percent,
      },
      achievements,
      season,
    };
  }
}
