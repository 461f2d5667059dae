import { Module } from '@nestjs/common';
import { SyncAdminService } from './admin/sync-admin.service';
import { SyncEventRepository } from './processing/sync-event.repository';
import { ReconcileReportsRepository } from './reconcile/reconcile-reports.repository';
import { ReconcileService } from './reconcile/reconcile.service';
import { AppliedRoles } from './roles/applied-roles';
import { EarnedStateReader } from './roles/earned-state';
import { MemberLeases } from './roles/member-leases';
import { RoleConvergenceService } from './roles/role-convergence.service';
import { RoleMappingsCache } from './roles/role-mappings.cache';
import { RoleMappingsRepository } from './roles/role-mappings.repository';
import { SyncStatsService } from './stats/sync-stats.service';

const SERVICES = [
  SyncEventRepository,
  SyncAdminService,
  ReconcileService,
  ReconcileReportsRepository,
  SyncStatsService,
  RoleMappingsRepository,
  RoleMappingsCache,
  EarnedStateReader,
  MemberLeases,
  AppliedRoles,
  RoleConvergenceService,
];

/**
 * The sync's services for every role: admin retries, stats, on-demand reconcile, and role
 * convergence (the Discord bot's `/sync` converges a member at once, under the same lease).
 */
@Module({ providers: SERVICES, exports: SERVICES })
export class SyncModule {}
