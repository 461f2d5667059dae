import { InMemoryRoleGateway } from '@ttfd/sync/testing';

/**
 * A gateway whose calls of one kind (member reads, or role additions) wait until the test lets
 * them through: a slow Discord, or a change caught in flight. `reached` counts those calls.
 */
export class HeldGateway extends InMemoryRoleGateway {
  reached = 0;
  private gate: Promise<void> | null = null;
  private open: () => void = () => undefined;

  constructor(private readonly held: 'read' | 'add') {
    super();
  }

  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  release(): void {
    this.open();
    this.gate = null;
  }

  override async readMemberRoles(userId: string): Promise<string[] | 'gone'> {
    if (this.held === 'read') await this.wait();
    return super.readMemberRoles(userId);
  }

  override async addRole(userId: string, roleId: string): Promise<'ok' | 'gone'> {
    if (this.held === 'add') await this.wait();
    return super.addRole(userId, roleId);
  }

  private async wait(): Promise<void> {
    this.reached += 1;
    if (this.gate) await this.gate;
  }
}
