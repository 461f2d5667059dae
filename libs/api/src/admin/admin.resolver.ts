import { UseGuards, UsePipes } from '@nestjs/common';
import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { AccountView, AwardResult } from '@ttfd/economy';
import { QueueInspector } from '@ttfd/observability';
import {
  MappingChangeResult,
  ReconcileReport,
  ReconcileService,
  RoleMapping,
  RoleMappingsService,
  SyncAdminService,
  SyncStatsService,
} from '@ttfd/sync';
import { AdminTokenGuard } from '../auth/admin-token.guard';
import { ApiError } from '../errors/api.error';
import { strictValidation } from '../errors/strict-validation.pipe';
import { AccountRoles, AdminAccountsService, LedgerPage } from './accounts/admin-accounts.service';
import {
  AccountRolesModel,
  AdjustmentInput,
  AdjustmentModel,
  GuildRolesModel,
  AdminAccountModel,
  LedgerPageModel,
  QueueCountsModel,
  ReconcileReportModel,
  RoleIdInput,
  RoleMappingChangeModel,
  RoleMappingModel,
  SyncEventFilterInput,
  SyncEventPageModel,
  SyncStatsModel,
} from './admin.models';
import { SyncEventPage, SyncEventsQuery } from './sync/sync-events.query';
import { DiscordGuildRoles } from './roles/discord-guild-roles';

/**
 * Every admin operation of the REST API, over GraphQL too (the dashboard uses GraphQL only),
 * calling the same services. Class-level guard: nothing here runs without ADMIN_TOKEN.
 */
@Resolver()
@UseGuards(AdminTokenGuard)
@UsePipes(strictValidation())
export class AdminResolver {
  constructor(
    private readonly stats: SyncStatsService,
    private readonly events: SyncEventsQuery,
    private readonly syncAdmin: SyncAdminService,
    private readonly reconcile: ReconcileService,
    private readonly mappings: RoleMappingsService,
    private readonly accounts: AdminAccountsService,
    private readonly queueInspector: QueueInspector,
    private readonly guildRoleReader: DiscordGuildRoles,
  ) {}

  @Query(() => SyncStatsModel)
  async syncStats(
    @Args('windowMinutes', { type: () => Int, defaultValue: 15 }) windowMinutes: number,
  ): Promise<SyncStatsModel> {
    const stats = await this.stats.stats(Math.min(Math.max(windowMinutes, 1), 10_080));
    return {
      ...stats,
      byStatus: Object.entries(stats.byStatus).map(([key, count]) => ({ key, count })),
      byType: Object.entries(stats.byType).flatMap(([type, statuses]) =>
        Object.entries(statuses).map(([status, count]) => ({ type, status, count: count ?? 0 })),
      ),
    };
  }

  @Query(() => SyncEventPageModel)
  syncEvents(
    @Args('filter', { type: () => SyncEventFilterInput, nullable: true })
    filter: SyncEventFilterInput | null,
    @Args('first', { type: () => Int, defaultValue: 50 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<SyncEventPage> {
    return this.events.page(filter ?? {}, first, after);
  }

  @Mutation(() => Boolean, { description: 'False when the event was not failed' })
  retrySyncEvent(@Args('id', { type: () => ID }) id: string): Promise<boolean> {
    if (!/^[1-9]\d{0,17}$/.test(id)) throw new ApiError('BAD_REQUEST', 'id must be an event id');
    return this.syncAdmin.retry(id);
  }

  @Mutation(() => Int, { description: 'How many failed events went back to pending' })
  retryFailedSyncEvents(): Promise<number> {
    return this.syncAdmin.retryAllFailed();
  }

  @Query(() => [ReconcileReportModel])
  reconcileReports(
    @Args('limit', { type: () => Int, defaultValue: 20 }) limit: number,
  ): Promise<ReconcileReport[]> {
    return this.reconcile.reports(Math.min(Math.max(limit, 1), 200));
  }

  @Mutation(() => String, { description: 'The job id of the run (its report carries it)' })
  runReconcile(): Promise<string> {
    return this.reconcile.runNow();
  }

  @Query(() => GuildRolesModel, {
    description: "The guild's roles (REST, cached 60 s) and the bot's highest position",
  })
  async guildRoles(): Promise<GuildRolesModel> {
    const list = await this.guildRoleReader.list();
    return list.kind === 'listed'
      ? { roles: list.roles, botTopPosition: list.botTopPosition, unavailableReason: null }
      : { roles: [], botTopPosition: null, unavailableReason: list.reason };
  }

  @Query(() => [RoleMappingModel])
  rankRoles(): Promise<RoleMapping[]> {
    return this.mappings.list('rank');
  }

  @Mutation(() => RoleMappingChangeModel)
  setRankRole(
    @Args('rankId', { type: () => Int }) rankId: number,
    @Args('role') role: RoleIdInput,
  ): Promise<MappingChangeResult> {
    return this.mappings.set('rank', [
      { key: String(rankId), discordRoleId: role.discordRoleId ?? null },
    ]);
  }

  @Query(() => [RoleMappingModel])
  achievementRoles(): Promise<RoleMapping[]> {
    return this.mappings.list('achievement');
  }

  @Mutation(() => RoleMappingChangeModel)
  setAchievementRole(
    @Args('code') code: string,
    @Args('role') role: RoleIdInput,
  ): Promise<MappingChangeResult> {
    return this.mappings.set('achievement', [
      { key: code, discordRoleId: role.discordRoleId ?? null },
    ]);
  }

  @Query(() => AdminAccountModel)
  async account(@Args('id', { type: () => ID }) id: string): Promise<AccountView> {
    const { ledger: _ledger, ...account } = await this.accounts.get(id, 1);
    return account;
  }

  @Mutation(() => AdjustmentModel, {
    description: 'Through the ledger; the key makes a resend apply once',
  })
  adjustAccount(
    @Args('accountId', { type: () => ID }) accountId: string,
    @Args('input') input: AdjustmentInput,
    @Args('idempotencyKey') idempotencyKey: string,
  ): Promise<AwardResult> {
    return this.accounts.adjust(accountId, input, idempotencyKey);
  }

  @Mutation(() => ID, { description: "Re-converge the account's Discord roles; the event id" })
  async resyncAccount(@Args('accountId', { type: () => ID }) accountId: string): Promise<string> {
    await this.accounts.get(accountId, 1);
    return this.syncAdmin.resyncAccount(accountId);
  }

  @Query(() => [QueueCountsModel])
  async queues(): Promise<QueueCountsModel[]> {
    const counts = await this.queueInspector.counts();
    return Object.entries(counts).map(([queue, c]) => ({
      queue,
      waiting: c.waiting + c.prioritized,
      active: c.active,
      delayed: c.delayed,
      failed: c.failed,
    }));
  }
}

/** An account's ledger page and roles, resolved only when asked for. */
@Resolver(() => AdminAccountModel)
@UseGuards(AdminTokenGuard)
export class AdminAccountResolver {
  constructor(private readonly accounts: AdminAccountsService) {}

  @ResolveField(() => LedgerPageModel)
  ledger(
    @Parent() account: AccountView,
    @Args('first', { type: () => Int, defaultValue: 20 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<LedgerPage> {
    return this.accounts.ledgerPage(account.id, first, after);
  }

  @ResolveField(() => AccountRolesModel, {
    description: 'Managed roles wanted vs applied on Discord',
  })
  roles(@Parent() account: AccountView): Promise<AccountRoles> {
    return this.accounts.roles(account.id);
  }
}
