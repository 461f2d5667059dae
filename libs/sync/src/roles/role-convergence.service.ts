import { Injectable, Logger } from '@nestjs/common';
import { RoleGatewayRegistry } from '../ports/registries';
import { RoleGateway, type RoleCallOptions } from '../ports/role-gateway';
import { AppliedRoles } from './applied-roles';
import { MemberLock } from './member-lock';
import { planRoleChanges } from './role-plan';
import { RoleMappingsRepository } from './role-mappings.repository';

export interface ConvergeOptions {
  /** False: only add (reconcile after a partial member list). */
  removals?: boolean;
  /** Shared by one reconcile run: removals left before the cap. */
  removalBudget?: { remaining: number; capped: boolean };
  /**
   * Read the member from Discord instead of the stored applied roles: `/sync`, roles.resync and
   * reconcile's repairs, where a change made by hand in Discord must be seen.
   */
  fresh?: boolean;
  /**
   * A mass change (a mapping changed, an import): its Discord calls only use the budget live
   * role changes leave, so a rank-up's role lands first (RoleCallOptions.priority 'bulk').
   */
  bulk?: boolean;
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
 * read what the account earns (fresh) and what the member has, then add or remove only the
 * difference, one role per call. Running it twice, or concurrently, converges to the same state.
 *
 * What the member has comes from the stored applied roles (AppliedRoles) when they are known,
 * so a rank-up costs Discord only its DELETE and PUT; Discord is read when nothing is stored,
 * when the last change failed midway, and when the caller asks for `fresh`. The stored state is
 * taken (marked unknown) before any call and written back after the last, so a crash in between
 * makes the next convergence read instead of trusting a half-applied plan: two statements per
 * convergence, the first beside the mapping read.
 *
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
    private readonly applied: AppliedRoles,
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
    return this.lock.withLock(discordUserId, () =>
      this.convergeLocked(gateway, discordUserId, accountId, options),
    );
  }

  private async convergeLocked(
    gateway: RoleGateway,
    discordUserId: string,
    accountId: string,
    options: ConvergeOptions,
  ): Promise<ConvergeResult> {
    // Read after taking the lock: the later of two concurrent events sees the later state.
    const [{ managed, wanted }, stored] = await Promise.all([
      this.mappings.targets([accountId]),
      this.applied.take(discordUserId),
    ]);
    const call: RoleCallOptions = { priority: options.bulk ? 'bulk' : 'live' };
    const current =
      (!options.fresh && stored) || (await gateway.readMemberRoles(discordUserId, call));
    if (current === 'gone') {
      await this.applied.forget(discordUserId);
      return { status: 'gone', ...NOTHING };
    }
    const plan = planRoleChanges(current, wanted.get(accountId) ?? [], managed);
    const result: ConvergeResult = { status: 'ok', added: [], removed: [], skippedRemovals: [] };
    const removals = plan.remove.filter(() => {
      if (options.removals === false) return false;
      if (!options.removalBudget) return true;
      if (options.removalBudget.remaining <= 0) {
        options.removalBudget.capped = true;
        return false;
      }
      options.removalBudget.remaining -= 1;
      return true;
    });
    result.skippedRemovals = plan.remove.filter((role) => !removals.includes(role));
    const held = new Set(current);
    const gone = async () => {
      await this.applied.forget(discordUserId);
      return { ...result, status: 'gone' as const };
    };
    for (const role of removals) {
      if ((await gateway.removeRole(discordUserId, role, call)) === 'gone') return gone();
      this.logger.log(`role ${role} removed from member ${discordUserId} (account ${accountId})`);
      held.delete(role);
      result.removed.push(role);
    }
    for (const role of plan.add) {
      if ((await gateway.addRole(discordUserId, role, call)) === 'gone') return gone();
      this.logger.log(`role ${role} added to member ${discordUserId} (account ${accountId})`);
      held.add(role);
      result.added.push(role);
    }
    await this.applied.store(discordUserId, [...held]);
    return result;
  }
}
