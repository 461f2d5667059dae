// @ttfd/sync's public API: what other libraries, the app, the tests and the bench use. Classes
// used only inside this library stay unexported; test doubles are in '@ttfd/sync/testing'.

// Modules
export * from './sync.module';
export * from './sync-worker.module';
export * from './sync-scheduler.module';
export * from './outbox/outbox.module';

// The outbox: events written in the caller's transaction, dispatched after commit.
export * from './outbox/sync-event';
export * from './outbox/outbox.writer';
export * from './outbox/outbox.dispatcher';

// Ports: what the platforms and the economy plug in.
export * from './ports/role-gateway';
export * from './ports/notifier';
export * from './ports/registries';
export * from './ports/account-recompute';
export * from './ports/alert-publisher';
export * from './ports/sync-observers';
export * from './ports/rank-up-listeners';
export * from './ports/guild-role-check';

// Roles: convergence, the mappings (reads, cache, rules).
export type { ConvergeOptions, ConvergeResult } from './roles/role-convergence.service';
export { RoleConvergenceService } from './roles/role-convergence.service';
export type { EarnedState } from './roles/earned-state';
export * from './roles/role-mappings.repository';
export * from './roles/role-mappings.cache';
export * from './roles/role-mappings.service';
export * from './roles/role-mapping.error';
export { MemberLeases } from './roles/member-leases';

// Operations: admin retries, stats, reconcile, cleanup, the lanes' sweep.
export * from './admin/sync-admin.service';
export * from './stats/sync-stats.service';
export * from './stats/read-counters';
export { ReconcileService } from './reconcile/reconcile.service';
export type { ReconcileMode } from './reconcile/reconcile.job';
export type { ReconcileReport } from './reconcile/reconcile-reports.repository';
export { CleanupJob } from './cleanup/cleanup.job';
export { CleanupCron } from './cleanup/cleanup.cron';
export { LaneSweepCron } from './lanes/lane-sweep.cron';
export type { SyncLane } from './lanes/sync-lanes';
export { SyncQueues } from './queues/sync-queues';
export { SyncEventRepository } from './processing/sync-event.repository';
