import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@ttfd/config';
import { RoleGatewayRegistry } from '../ports/registries';
import { chunk } from '../queues/sync-jobs';
import { RoleConvergenceService } from '../roles/role-convergence.service';
import { RoleMappingsRepository } from '../roles/role-mappings.repository';
import { planRoleChanges } from '../roles/role-plan';
import { ReconcileAlerts } from './reconcile-alerts';
import { ReconcileTally } from './reconcile-tally';

/**
 * Reconcile's check of Discord roles: every guild member's managed roles, read from listing
 * pages, against what their account earns; a member who differs is repaired through the same
 * per-member convergence the sync uses. Guards: an empty member list, a listing that fails
 * midway or an empty rank mapping never strip roles; removals per run are capped
 * (RECONCILE_MAX_REMOVALS).
 */
@Injectable()
export class MemberRolesCheck {
  private readonly logger = new Logger('Reconcile');

  constructor(
    private readonly dataSource: DataSource,
    private readonly gateways: RoleGatewayRegistry,
    private readonly convergence: RoleConvergenceService,
    private readonly mappings: RoleMappingsRepository,
    private readonly alerts: ReconcileAlerts,
    private readonly config: AppConfig,
  ) {}

  async run(tally: ReconcileTally): Promise<void> {
    const gateway = this.gateways.get();
    if (!gateway) {
      this.logger.warn('No RoleGateway registered: roles not reconciled');
      tally.checked.rolesSkipped = 1;
      return;
    }
    const { managed } = await this.mappings.targets([]);
    let removals = true;
    if (managed.length === 0 || (await this.mappings.mappedRankCount()) === 0) {
      await this.alerts.raise(tally, {
        kind: 'reconcile_empty_mapping',
        message: 'No rank role is mapped: reconcile removes no roles until mappings are set',
      });
      removals = false;
      if (managed.length === 0) return;
    }

    const members: { userId: string; roles: string[] }[] = [];
    const pageSize = this.config.env.RECONCILE_MEMBER_PAGE_SIZE;
    let after: string | null = null;
    try {
      for (;;) {
        const page = await gateway.listMembers(after, pageSize);
        members.push(...page.members);
        if (page.members.length < pageSize) break;
        after = page.members[page.members.length - 1].userId;
      }
    } catch (error) {
      await this.alerts.raise(tally, {
        kind: 'reconcile_member_list_failed',
        message: `Member listing failed after ${members.length} member(s): ${(error as Error).message}; no roles removed`,
      });
      removals = false;
    }
    if (members.length === 0) {
      if (tally.alerts.every((a) => a.kind !== 'reconcile_member_list_failed')) {
        await this.alerts.raise(tally, {
          kind: 'reconcile_empty_member_list',
          message: 'The guild listed no members: roles not reconciled',
        });
      }
      return;
    }

    const budget = { remaining: this.config.env.RECONCILE_MAX_REMOVALS, capped: false };
    for (const page of chunk(members, 500)) {
      const identities: { external_id: string; account_id: string }[] = await this.dataSource.query(
        `SELECT external_id, account_id FROM identities
          WHERE platform = 'discord' AND external_id = ANY($1::text[])`,
        [page.map((m) => m.userId)],
      );
      const accountOf = new Map(identities.map((i) => [i.external_id, String(i.account_id)]));
      const { wanted } = await this.mappings.targets([...new Set(accountOf.values())]);
      tally.checked.members += page.length;
      for (const member of page) {
        const accountId = accountOf.get(member.userId);
        if (!accountId) {
          // Never seen by the bots: no account, nothing we manage for them.
          tally.checked.unknownMembers += 1;
          continue;
        }
        const plan = planRoleChanges(member.roles, wanted.get(accountId) ?? [], managed);
        if (plan.add.length === 0 && plan.remove.length === 0) continue;
        tally.drifted.rolesMissing += plan.add.length;
        tally.drifted.rolesExtra += plan.remove.length;
        try {
          const result = await this.convergence.converge(member.userId, accountId, {
            removals,
            removalBudget: budget,
          });
          tally.fixed.rolesAdded += result.added.length;
          tally.fixed.rolesRemoved += result.removed.length;
        } catch (error) {
          this.logger.warn(
            `Roles of member ${member.userId} not repaired: ${(error as Error).message}`,
          );
        }
      }
    }
    if (budget.capped) {
      await this.alerts.raise(tally, {
        kind: 'reconcile_removal_cap',
        message: `Reached RECONCILE_MAX_REMOVALS (${this.config.env.RECONCILE_MAX_REMOVALS}): further removals skipped`,
      });
    }
  }
}
