import { Injectable, Logger } from '@nestjs/common';
import { RoleGatewayRegistry } from '../ports/registries';
import { RoleGateway, type RoleCallOptions } from '../ports/role-gateway';
import { AppliedRoles, MemberAppliedRoles } from './applied-roles';
import { EarnedState, EarnedStateReader } from './earned-state';
import { MemberLeases } from './member-leases';
import { planRoleChanges } from './role-plan';
import { RoleMappingsCache, rolesEarned } from './role-mappings.cache';

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
   * The account's rank and achievements as the caller already read them (with the mapping
   * version, when read in the same statement): then no account read is spent here. Read after
   * the change the caller converges for, so the member never gets an older state's roles.
   */
  earned?: EarnedState;
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
 * Makes one member's managed roles equal to what their account earns: under the member's lease,
 * read what the account earns (fresh) and what the member has, then add or remove only the
 * difference, one role per call. Running it twice, or concurrently, converges to the same state.
 *
 * What the account earns is its rank and achievements (given by the caller, or read here in one
 * statement) through the cached mappings (RoleMappingsCache, at least as new as the mapping
 * version read with them: no mapping SQL per member).
 *
 * What the member has comes from the stored applied roles (AppliedRoles) when they are known,
 * so a rank-up costs Discord only its DELETE and PUT; Discord is read when nothing is stored,
 * when the last change failed midway, and when the caller asks for `fresh`. Before any call the
 * stored state is taken (marked unknown) and it is written back after the last, so a crash in
 * between makes the next convergence read instead of trusting a half-applied plan. Alone
 * (`converge`), that is a statement each, and a member whose stored roles are already what they
 * earn costs one read and no write; in a lane's batch (`convergeHeld`) the claim took them and
 * the settle writes them back (BatchAppliedRoles), so a convergence sends no statement of its own.
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
    private readonly leases: MemberLeases,
    private readonly mappings: RoleMappingsCache,
    private readonly earnedStates: EarnedStateReader,
    private readonly applied: AppliedRoles,
  ) {}

  /** Takes the member's lease for the convergence (`/sync`, reconcile's repairs). */
  async converge(
    discordUserId: string,
    accountId: string,
    options: ConvergeOptions = {},
  ): Promise<ConvergeResult> {
    return this.whenGateway((gateway) =>
      this.leases.withLease(discordUserId, () =>
        this.convergeLeased(
          gateway,
          discordUserId,
          accountId,
          options,
          this.applied.of(discordUserId),
        ),
      ),
    );
  }

  /**
   * For a lane's batch: its claim statement already leased the member to it and took the stored
   * roles, which its settle stores back (`applied`: BatchAppliedRoles.of).
   */
  async convergeHeld(
    discordUserId: string,
    accountId: string,
    applied: MemberAppliedRoles,
    options: ConvergeOptions = {},
  ): Promise<ConvergeResult> {
    return this.whenGateway((gateway) =>
      this.convergeLeased(gateway, discordUserId, accountId, options, applied),
    );
  }

  private async whenGateway(
    work: (gateway: RoleGateway) => Promise<ConvergeResult>,
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
    return work(gateway);
  }

  private async convergeLeased(
    gateway: RoleGateway,
    discordUserId: string,
    accountId: string,
    options: ConvergeOptions,
    applied: MemberAppliedRoles,
  ): Promise<ConvergeResult> {
    // Read under the lease: the later of two concurrent events sees the later state.
    const earned = options.earned ?? (await this.earnedStates.read(accountId));
    const mappings = await this.mappings.snapshot(earned.mappingVersion);
    const wanted = rolesEarned(mappings, earned.rankId, earned.achievementCodes);
    const stored = options.fresh
      ? { roles: null, taken: false }
      : await applied.takeUnlessSettled(wanted, mappings.managed, options.removals !== false);
    const call: RoleCallOptions = { priority: options.bulk ? 'bulk' : 'live' };
    const current = stored.roles ?? (await gateway.readMemberRoles(discordUserId, call));
    if (current === 'gone') {
      await applied.forget();
      return { status: 'gone', ...NOTHING };
    }
    const plan = planRoleChanges(current, wanted, mappings.managed);
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
    const known = stored.roles !== null;
    if (removals.length === 0 && plan.add.length === 0) {
      // Nothing to change: keep what was read from Discord, or give back what was taken
      // (the removal budget ran out); stored roles left in place need no write at all.
      if (!known || stored.taken) await applied.store(current);
      return result;
    }
    // Mark the stored roles unknown before the first call (unless already taken, or unknown).
    if (known ? !stored.taken : options.fresh) await applied.take();
    const held = new Set(current);
    const gone = async () => {
      await applied.forget();
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
    await applied.store([...held]);
    return result;
  }
}
