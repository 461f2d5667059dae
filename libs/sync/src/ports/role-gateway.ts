/**
 * Live role changes (a rank-up, a link) go first; bulk ones (a mass resync after a mapping
 * changed) only spend the budget live ones leave. The adapter decides what that means for its
 * platform's rate limits.
 */
export type RoleCallPriority = 'live' | 'bulk';

export interface RoleCallOptions {
  /** Default 'live'. */
  priority?: RoleCallPriority;
}

/**
 * The community guild's roles, one member and one role at a time (never a full-list PATCH,
 * which would rewrite roles we do not manage). Implemented by the Discord adapter.
 * 'gone' means the member left the guild: a final answer, not an error to retry.
 */
export abstract class RoleGateway {
  abstract readMemberRoles(
    discordUserId: string,
    options?: RoleCallOptions,
  ): Promise<string[] | 'gone'>;
  abstract addRole(
    discordUserId: string,
    roleId: string,
    options?: RoleCallOptions,
  ): Promise<'ok' | 'gone'>;
  abstract removeRole(
    discordUserId: string,
    roleId: string,
    options?: RoleCallOptions,
  ): Promise<'ok' | 'gone'>;
  /**
   * Members in user-id order (reconcile's listing: bulk priority), `limit` per page, after `afterUserId` (null: from the start). An
   * empty first page means "no members"; a page shorter than `limit` is the last one.
   */
  abstract listMembers(
    afterUserId: string | null,
    limit: number,
  ): Promise<{ members: { userId: string; roles: string[] }[] }>;
}
