import { InMemoryRoleGateway } from '@ttfd/sync/testing';

/**
 * A gateway that takes a moment per call and records, per member, calls that overlapped: two
 * convergences of one member at once would show here. Shared by several apps in one test.
 */
export class OverlapGateway extends InMemoryRoleGateway {
  overlaps = 0;
  private readonly active = new Map<string, number>();

  override async readMemberRoles(userId: string): Promise<string[] | 'gone'> {
    return this.timed(userId, () => super.readMemberRoles(userId));
  }

  override async addRole(userId: string, roleId: string): Promise<'ok' | 'gone'> {
    return this.timed(userId, () => super.addRole(userId, roleId));
  }

  override async removeRole(userId: string, roleId: string): Promise<'ok' | 'gone'> {
    return this.timed(userId, () => super.removeRole(userId, roleId));
  }

  private async timed<T>(userId: string, call: () => Promise<T>): Promise<T> {
    const active = (this.active.get(userId) ?? 0) + 1;
    this.active.set(userId, active);
    if (active > 1) this.overlaps += 1;
    try {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return await call();
    } finally {
      this.active.set(userId, (this.active.get(userId) ?? 1) - 1);
    }
  }
}
