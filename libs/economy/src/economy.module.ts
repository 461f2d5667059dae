import { Module } from '@nestjs/common';
import { AccountsService } from './accounts/accounts.service';
import { AchievementsService } from './achievements/achievements.service';
import { AwardStatement } from './ledger/award.statement';
import { CarefulAward } from './ledger/careful-award';
import { LedgerRepository } from './ledger/ledger.repository';
import { LedgerService } from './ledger/ledger.service';
import { LeaderboardService } from './profile/leaderboard.service';
import { ProfileService } from './profile/profile.service';
import { SeasonMembership } from './seasons/season-membership';
import { SeasonPayout } from './seasons/season-payout.service';
import { SeasonStandings } from './seasons/season-standings.service';
import { SeasonsRepository } from './seasons/seasons.repository';
import { SeasonsService } from './seasons/seasons.service';
import { PlayerSettingsService } from './player-settings/player-settings.service';
import { RankAnnouncements } from './xp-rules/rank-announcements';
import { XpRulesAdmin } from './xp-rules/xp-rules-admin.service';
import { XpRules } from './xp-rules/xp-rules.service';
import { XpRulesStore } from './xp-rules/xp-rules.store';

const SERVICES = [
  AccountsService,
  AchievementsService,
  LedgerService,
  LedgerRepository,
  SeasonMembership,
  SeasonsService,
  SeasonsRepository,
  SeasonStandings,
  SeasonPayout,
  ProfileService,
  LeaderboardService,
  XpRulesStore,
  XpRules,
  XpRulesAdmin,
  RankAnnouncements,
  PlayerSettingsService,
];

/**
 * The economy core. Needs, from the application: the TypeORM DataSource, `Clock`, `AppConfig`,
 * `OutboxWriter`, `RankUpListeners` and `AccountRecomputeRegistry` (global `OutboxModule` of
 * @ttfd/sync; tests provide their own).
 */
@Module({ providers: [...SERVICES, AwardStatement, CarefulAward], exports: SERVICES })
export class EconomyModule {}
