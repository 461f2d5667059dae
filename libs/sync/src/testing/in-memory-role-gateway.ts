import { RoleGateway, type RoleCallOptions, type RoleCallPriority } from '../ports/role-gateway';

export type RoleCallOp = 'read' | 'add' | 'remove' | 'list';
export interface RoleCall {
  op: RoleCallOp;
  userId?: string;
  roleId?: string;
  /** Set only when the caller asked for 'bulk' (live is the default). */
  priority?: RoleCallPriority;
}

interface FailureRule {
  op?: RoleCallOp;
  /** Matching calls to let through before failing (a listing that fails midway). */
  skip: number;
  remaining: number;
  message: string;
}

/**
 * A guild in memory for tests of the core: members and their roles, every call recorded in
 * order, failures programmable (N times or always, per operation). A member not in the map is
 * 'gone', as Discord answers for someone who left.
 */
export class InMemoryRoleGateway extends RoleGateway {
  readonly calls: RoleCall[] = [];
  private readonly members = new Map<string, Set<string>>();
  private failures: FailureRule[] = [];

  setMember(userId: string, roles: string[] = []): void {
    this.members.set(userId, new Set(roles));
  }

  removeMember(userId: string): void {
    this.members.delete(userId);
  }

  /** The member's roles, sorted; undefined when not a member. */
  rolesOf(userId: string): string[] | undefined {
    const roles = this.members.get(userId);
    return roles ? [...roles].sort() : undefined;
  }

  /** The next `times` calls (of `op`, or any) throw `message`. */
  failNext(
    times: number,
    options: { op?: RoleCallOp; message?: string; skip?: number } = {},
  ): void {
    this.failures.push({
      op: options.op,
      skip: options.skip ?? 0,
      remaining: times,
      message: options.message ?? 'simulated gateway failure',
    });
  }

  failAlways(options: { op?: RoleCallOp; message?: string } = {}): void {
    this.failNext(Number.POSITIVE_INFINITY, options);
  }

  heal(): void {
    this.failures = [];
  }

  /** Only the calls that change something. */
  changes(): RoleCall[] {
    return this.calls.filter((call) => call.op === 'add' || call.op === 'remove');
  }

  clearCalls(): void {
    this.calls.length = 0;
  }

  async readMemberRoles(
    discordUserId: string,
    options: RoleCallOptions = {},
  ): Promise<string[] | 'gone'> {
    this.record({ op: 'read', userId: discordUserId, ...bulkOf(options) });
    const roles = this.members.get(discordUserId);
    return roles ? [...roles] : 'gone';
  }

  async addRole(
    discordUserId: string,
    roleId: string,
    options: RoleCallOptions = {},
  ): Promise<'ok' | 'gone'> {
    this.record({ op: 'add', userId: discordUserId, roleId, ...bulkOf(options) });
    const roles = this.members.get(discordUserId);
    if (!roles) return 'gone';
    roles.add(roleId);
    return 'ok';
  }

  async removeRole(
    discordUserId: string,
    roleId: string,
    options: RoleCallOptions = {},
  ): Promise<'ok' | 'gone'> {
    this.record({
      op: 'remove',
      userId: discordUserId,
      roleId,
      ...bulkOf(options),
    });
    const roles = this.members.get(discordUserId);
    if (!roles) return 'gone';
    roles.delete(roleId);
    return 'ok';
  }

  async listMembers(
    afterUserId: string | null,
    limit: number,
  ): Promise<{ members: { userId: string; roles: string[] }[] }> {
    this.record({ op: 'list', userId: afterUserId ?? undefined });
    const ids = [...this.members.keys()]
      .filter((id) => afterUserId === null || compareSnowflakes(id, afterUserId) > 0)
      .sort(compareSnowflakes)
      .slice(0, limit);
    return { members: ids.map((userId) => ({ userId, roles: [...this.members.get(userId)!] })) };
  }

  /** Records the call, then throws if a failure rule applies (the call still counts). */
  private record(call: RoleCall): void {
    this.calls.push(call);
    const rule = this.failures.find(
      (candidate) => candidate.remaining > 0 && (!candidate.op || candidate.op === call.op),
    );
    if (!rule) return;
    if (rule.skip > 0) {
      rule.skip -= 1;
      return;
    }
    rule.remaining -= 1;
    throw new Error(rule.message);
  }
}

function compareSnowflakes(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

function bulkOf(options: RoleCallOptions): { priority?: 'bulk' } {
  return options.priority === 'bulk' ? { priority: 'bulk' } : {};
}
