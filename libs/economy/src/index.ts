export * from './economy.error';
export * from './economy.module';
export * from './cursor';
export * from './ranks/ranks';
export * from './ledger/ledger-reason';
export * from './ledger/ledger.types';
export * from './ledger/ledger.service';
export * from './accounts/accounts.service';
export * from './achievements/achievements.service';
export * from './profile/profile.service';
export * from './profile/leaderboard.service';
export * from './seasons/season-window';
export * from './seasons/season-membership';
export * from './seasons/seasons.service';
// Test helpers (production dependencies only): factories, a recording dispatcher, a module.
export * from './testing';
export * from './seasons/season.scheduler';
export * from './seasons/season-scheduler.module';
