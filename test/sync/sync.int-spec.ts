import { SyncAdminService } from '@ttfd/sync';
import { waitFor } from '../support/test-app';
import {
  award,
  discordPlayer,
  eventsOf,
  ROLE,
  settled,
  startSyncWorld,
  SyncWorld,
} from './sync-harness';

/** Flow 2 on real Postgres, Redis and BullMQ, with the in-memory gateway and notifiers. */
describe('sync processing', () => {
  let world: SyncWorld;

  beforeAll(async () => {
    world = await startSyncWorld();
  });

  afterAll(async () => {
    await world.app.close();
  });

  beforeEach(async () => {
    await settled(world);
    world.gateway.heal();
    world.gateway.clearCalls();
  });

  /** A member at rank 4 whose roles already converged. */
  async function rank4Member(): Promise<{ userId: string; accountId: string }> {
    const player = await discordPlayer(world, [ROLE.vip]);
    await award(world, player.accountId, 5_000);
    await settled(world);
    expect(world.gateway.rolesOf(player.userId)).toEqual([ROLE.rank4, ROLE.vip].sort());
    world.gateway.clearCalls();
    world.discord.sent.length = 0;
    return player;
  }

  it('an award that crosses rank 4 -> 5 removes the rank-4 role and adds the rank-5 role, nothing else', async () => {
    const { userId, accountId } = await rank4Member();
    await award(world, accountId, 3_000); // 8000 XP: rank 5 (7700)
    await settled(world);
    expect(world.gateway.changes()).toEqual([
      { op: 'remove', userId, roleId: ROLE.rank4 },
      { op: 'add', userId, roleId: ROLE.rank5 },
    ]);
    // Planned from the roles stored when rank 4 converged: no member read (applied-roles.int-spec).
    expect(world.gateway.calls.filter((c) => c.op === 'read')).toHaveLength(0);
    expect(world.gateway.rolesOf(userId)).toEqual([ROLE.rank5, ROLE.vip].sort());
    expect(world.discord.to(userId)).toContainEqual({
      kind: 'rankUp',
      fromRank: 4,
      toRank: 5,
      xp: 8000,
    });
    expect((await eventsOf(world, accountId)).every((e) => e.status === 'completed')).toBe(true);
  });

  it('an award that crosses nothing makes no role call at all', async () => {
    const { accountId } = await rank4Member();
    await award(world, accountId, 10);
    await settled(world);
    expect(world.gateway.calls).toEqual([]);
  });

  it('the lane woken 20 times more applies each event once', async () => {
    const { userId, accountId } = await discordPlayer(world);
    await award(world, accountId, 5_000);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        world.queues.add('sync.lane', { lane: 'roles' }, `dup-${accountId}-${i}`),
      ),
    );
    await settled(world);
    expect(world.gateway.changes()).toEqual([{ op: 'add', userId, roleId: ROLE.rank4 }]);
    const events = await eventsOf(world, accountId);
    // Processed once each.
    expect(events.map((e) => [e.type, e.status, e.attempts])).toEqual(
      events.map((e) => [e.type, 'completed', 1]),
    );
    expect(world.discord.to(userId).filter((n) => n.kind === 'rankUp')).toHaveLength(1);
  });

  it('a gateway failing 3 times, then succeeding, ends completed', async () => {
    const { userId, accountId } = await discordPlayer(world);
    world.gateway.failNext(3, { op: 'read', message: 'discord 500' });
    await award(world, accountId, 5_000);
    await settled(world);
    const rank = (await eventsOf(world, accountId)).find((e) => e.type === 'rank.changed')!;
    expect(rank).toMatchObject({ status: 'completed', attempts: 4 });
    expect(world.gateway.rolesOf(userId)).toEqual([ROLE.rank4]);
  });

  it('a gateway that always fails ends failed with its error; an admin retry after repair completes it', async () => {
    const { userId, accountId } = await discordPlayer(world);
    world.gateway.failAlways({ op: 'add', message: 'Missing Permissions' });
    await award(world, accountId, 5_000);
    await settled(world);
    const rank = (await eventsOf(world, accountId)).find((e) => e.type === 'rank.changed')!;
    expect(rank).toMatchObject({ status: 'failed', attempts: 4 });
    expect(rank.last_error).toContain('Missing Permissions');
    expect(world.gateway.rolesOf(userId)).toEqual([]);

    world.gateway.heal();
    expect(await world.app.app.get(SyncAdminService).retry(rank.id)).toBe(true);
    await settled(world);
    const retried = (await eventsOf(world, accountId)).find((e) => e.id === rank.id)!;
    expect(retried).toMatchObject({ status: 'completed', attempts: 1 });
    expect(world.gateway.rolesOf(userId)).toEqual([ROLE.rank4]);
  });

  it('two concurrent events for one member end with the roles of the later state', async () => {
    const { userId, accountId } = await rank4Member();
    await Promise.all([
      award(world, accountId, 3_000), // -> rank 5
      world.ledger.adjust({
        accountId,
        xp: -3_000,
        reason: 'admin_adjustment',
        source: 'admin',
        idempotencyKey: `adj-${accountId}`,
      }),
    ]);
    await settled(world);
    const [{ rank_id }] = await world.db.query(`SELECT rank_id FROM accounts WHERE id = $1`, [
      accountId,
    ]);
    const expected = Number(rank_id) === 5 ? ROLE.rank5 : ROLE.rank4;
    expect(world.gateway.rolesOf(userId)).toEqual([expected, ROLE.vip].sort());
    // Every role call was a real change: never a role added and removed for nothing.
    const changes = world.gateway.changes();
    expect(changes.length).toBeLessThanOrEqual(4);
  });

  it('a member who left the guild completes with a note, without retries', async () => {
    const { userId, accountId } = await discordPlayer(world);
    world.gateway.removeMember(userId);
    await award(world, accountId, 5_000);
    await settled(world);
    const rank = (await eventsOf(world, accountId)).find((e) => e.type === 'rank.changed')!;
    expect(rank).toMatchObject({ status: 'completed', attempts: 1 });
    expect(rank.last_error).toContain('gone');
  });

  it('link and unlink: roles follow the survivor, then fall to what an empty account earns', async () => {
    const tg = '77001';
    const { userId } = await discordPlayer(world, [ROLE.vip]);
    const { accountId: tgAccount } = await world.identities.resolve('telegram', tg);
    await award(world, tgAccount, 5_000);
    await settled(world);
    const { code } = await world.links.issueCode('telegram', tg);
    await world.links.redeem('discord', userId, code);
    await settled(world);
    expect(world.gateway.rolesOf(userId)).toEqual([ROLE.linked, ROLE.rank4, ROLE.vip].sort());
    expect(world.telegram.to(tg)).toContainEqual({ kind: 'linked' });
    expect(world.discord.to(userId)).toContainEqual({ kind: 'linked' });

    world.gateway.clearCalls();
    await world.links.unlink('telegram', tg);
    await settled(world);
    // The new empty account earns rank 1's role only; unmanaged roles stay.
    expect(world.gateway.rolesOf(userId)).toEqual([ROLE.rank1, ROLE.vip].sort());
    expect(
      world.gateway
        .changes()
        .filter((c) => c.op === 'remove')
        .map((c) => c.roleId)
        .sort(),
    ).toEqual([ROLE.linked, ROLE.rank4].sort());
    expect(world.telegram.to(tg)).toContainEqual({ kind: 'unlinked' });
    await waitFor(() => world.discord.to(userId).some((n) => n.kind === 'unlinked'));
  });
});
