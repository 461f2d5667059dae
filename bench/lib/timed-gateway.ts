import { InMemoryRoleGateway } from '@ttfd/sync/testing';

/**
 * The in-memory guild, noting when each role was first added to each member (performance.now()
 * of this process, the clock the commit times are taken with).
 */
export class TimedRoleGateway extends InMemoryRoleGateway {
  readonly addedAt = new Map<string, number>();

  override async addRole(discordUserId: string, roleId: string): Promise<'ok' | 'gone'> {
    const key = `${discordUserId}:${roleId}`;
    if (!this.addedAt.has(key)) this.addedAt.set(key, performance.now());
    return super.addRole(discordUserId, roleId);
  }
}
