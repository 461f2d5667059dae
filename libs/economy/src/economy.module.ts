import { Module } from '@nestjs/common';
import { AccountsService } from './accounts/accounts.service';
import { AchievementsService } from './achievements/achievements.service';
import { LedgerService } from './ledger/ledger.service';
import { LeaderboardService } from './profile/leaderboard.service';
import { ProfileService } from './profile/profile.service';
import { SeasonMembership } from './seasons/season-membership';
import { SeasonPayout } from './seasons/season-payout.service';
import { SeasonStandings } from './seasons/season-standings.service';
import { SeasonsService } from './seasons/seasons.service';

const SERVICES = [
  AccountsService,
  AchievementsService,
  LedgerService,
  SeasonMembership,
  SeasonsService,
  SeasonStandings,
  SeasonPayout,
  ProfileService,
  LeaderboardService,
];

/**
 * The economy core. Needs, from the application: the TypeORM DataSource, `Clock`, `AppConfig`
 * and `OutboxWriter` (global `OutboxModule` of @ttfd/sync; tests provide their own).
 */
@Module({ providers: SERVICES, exports: SERVICES })
export class EconomyModule {}
