import { inTransaction } from '@ttfd/database';
import { OutboxWriter, SyncAdminService } from '@ttfd/sync';
import { award, discordPlayer, ROLE, settled, startSyncWorld, SyncWorld } from './sync-harness';

/**
 * A mass change's role calls are bulk (they only spend the Discord budget live ones leave); a
 * rank-up's, a link's and an admin's resync are live. Real Postgres, Redis and BullMQ, with the
 * in-memory gateway recording each call's priority.
 */
describe('role call priority', () => {
  let world: SyncWorld;

  beforeAll(async () => {
    world = await startSyncWorld();
  });

  afterAll(async () => {
    await world.app.close();
  });

  async function resync(accountId: string, payload: Record<string, unknown>): Promise<void> {
    const outbox = world.app.app.get(OutboxWriter);
    await inTransaction(world.db, undefined, (tx) =>
      outbox.append(tx, [{ type: 'roles.resync', source: 'admin', accountId, payload }]),
    );
    await settled(world);
  }

  it('converges a mapping-change resync with bulk calls, and a rank-up and an admin resync with live ones', async () => {
    const { userId, accountId } = await discordPlayer(world, [ROLE.vip]);
    await award(world, accountId, 5_000); // rank 4
    await settled(world);
    expect(world.gateway.changes()).toEqual([{ op: 'add', userId, roleId: ROLE.rank4 }]);

    // The role was taken away in Discord and nothing is stored (a member we never set roles
    // for): a mass change's resync reads the member and puts the role back, as bulk.
    const forget = () =>
      world.db.query(`DELETE FROM discord_member_roles WHERE discord_user_id = $1`, [userId]);
    world.gateway.setMember(userId, [ROLE.vip]);
    await forget();
    world.gateway.clearCalls();
    await resync(accountId, { reason: 'rank_mapping_changed', keys: [4] });
    expect(world.gateway.calls).toEqual([
      { op: 'read', userId, priority: 'bulk' },
      { op: 'add', userId, roleId: ROLE.rank4, priority: 'bulk' },
    ]);

    world.gateway.setMember(userId, [ROLE.vip]);
    await forget();
    world.gateway.clearCalls();
    await resync(accountId, { reason: 'import', bulk: true });
    expect(world.gateway.calls.every((call) => call.priority === 'bulk')).toBe(true);
    expect(world.gateway.changes()).toHaveLength(1);

    world.gateway.setMember(userId, [ROLE.vip]);
    world.gateway.clearCalls();
    await world.app.app.get(SyncAdminService).resyncAccount(accountId);
    await settled(world);
    expect(world.gateway.calls).toEqual([
      { op: 'read', userId },
      { op: 'add', userId, roleId: ROLE.rank4 },
    ]);
  });
});
