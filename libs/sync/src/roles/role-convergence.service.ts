import { Injectable, Logger } from '@nestjs/common';
import { RoleGatewayRegistry } from '../ports/registries';
import { MemberLock } from './member-lock';
import { planRoleChanges } from './role-plan';
import { RoleMappingsRepository } from './role-mappings.repository';

export interface ConvergeOptions {
  /** False: only add (reconcile after a partial member list). */
  removals?: boolean;
  /** Shared by one reconcile run: removals left before the cap. */
  removalBudget?: { remaining: number; capped: boolean };
}

export interface ConvergeResult {
  status: 'ok' | 'gone' | 'no_gateway';
  added: string[];
  removed: string[];
  /** Removals wanted but not made (removals off, or the budget ran out). */
  skippedRemovals: string[];
}

const NOTHING = { added: [], removed: [], skippedRemovals: [] };

/**
 * Makes one member's managed roles equal to what their account earns: under the member's lock,
 * read what the account earns and what the member has, both fresh, then add or remove only the
 * difference, one role per call. Running it twice, or concurrently, converges to the same state.
 * Every role actually changed is logged (in the caller's correlation): the audit trail of what
 * we did to a member, and why.
 */
@Injectable()
export class RoleConvergenceService {
  private readonly logger = new Logger('RoleConvergence');
  private lastNoGatewayLog = 0;

  constructor(
    private readonly gateways: RoleGatewayRegistry,
    private readonly lock: MemberLock,
    private readonly mappings: RoleMappingsRepository,
  ) {}

  async converge(
    discordUserId: string,
    accountId: string,
    options: ConvergeOptions = {},
  ): Promise<ConvergeResult> {
    const gateway = this.gateways.get();
    if (!gateway) {
      if (Date.now() - this.lastNoGatewayLog > 60_000) {
        this.lastNoGatewayLog = Date.now();
        this.logger.warn(
          'No RoleGateway registered (Discord off in this process): role effects skipped',
        );
      }
      return { status: 'no_gateway', ...NOTHING };
    }
    return this.lock.withLock(discordUserId, async () => {
      // Read after taking the lock: the later of two concurrent events sees the later state.
      const { managed, wanted } = await this.mappings.targets([accountId]);
      const current = await gateway.readMemberRoles(discordUserId);
      if (current === 'gone') return { status: 'gone', ...NOTHING };
      const plan = planRoleChanges(current, wanted.get(accountId) ?? [], managed);
      const result: ConvergeResult = { status: 'ok', added: [], removed: [], skippedRemovals: [] };
      for (const role of plan.remove) {
        if (options.removals === false) {
          result.skippedRemovals.push(role);
          continue;
        }
        if (options.removalBudget) {
          if (options.removalBudget.remaining <= 0) {
            options.removalBudget.capped = true;
            result.skippedRemovals.push(role);
            continue;
          }
          options.removalBudget.remaining -= 1;
        }
        if ((await gateway.removeRole(discordUserId, role)) === 'gone') {
          return { ...result, status: 'gone' };
        }
        this.logger.log(`role ${role} removed from member ${discordUserId} (account ${accountId})`);
        result.removed.push(role);
      }
      for (const role of plan.add) {
        if ((await gateway.addRole(discordUserId, role)) === 'gone') {
          return { ...result, status: 'gone' };
        }
        this.logger.log(`role ${role} added to member ${discordUserId} (account ${accountId})`);
        result.added.push(role);
      }
      return result;
    });
  }
}
