export * from './import.error';
export * from './import-plan';
export * from './import-report';
export * from './import-runs.repository';
export * from './import-writer';
export * from './import-revert';
export * from './import-roles';
export * from './import-queue';
export * from './import-sources';
export * from './import.service';
export * from './imports.module';
export * from './players-csv.export';
export * from './sources/csv.parser';
export * from './sources/mee6.parser';
export * from './sources/stage1.reader';
// Test and bench helpers (production dependencies only): MEE6 leaderboard pages.
export * from './testing/mee6-fixtures';
