import { Redis } from 'ioredis';
import { REDIS } from '@ttfd/database';
import { MemberLock, OutboxRelayCron, SyncEventRepository } from '@ttfd/sync';
import { waitFor } from '../support/test-app';
import { HeldGateway } from './held-gateway';
import {
  award,
  discordPlayer,
  eventsOf,
  ROLE,
  settled,
  startSyncWorld,
  SyncWorld,
} from './sync-harness';

/**
 * Work that outlasts its lease or its member lock is still done once: both are renewed while
 * the work runs, and a worker that lost its claim anyway cannot settle the row.
 */
describe('leases and member locks held by live work', () => {
  const gateway = new HeldGateway('read');
  let world: SyncWorld;

  beforeAll(async () => {
    world = await startSyncWorld({
      gateway,
      env: { SYNC_LEASE_MS: '1000', SYNC_MEMBER_LOCK_TTL_MS: '1000' },
    });
  });

  afterAll(async () => {
    gateway.release();
    await world?.app.close();
  });

  const leaseOf = async (id: string): Promise<number> => {
    const [row]: { lease_until: Date }[] = await world.db.query(
      `SELECT lease_until FROM sync_events WHERE id = $1`,
      [id],
    );
    return new Date(row.lease_until).getTime();
  };

  it('a job slower than its lease keeps its rows: the relay does not run them again', async () => {
    const player = await discordPlayer(world);
    gateway.hold();
    const readsBefore = gateway.reached;
    await award(world, player.accountId, 5_000); // rank 1 -> 4
    await waitFor(() => gateway.reached === readsBefore + 1, { what: 'the job to reach Discord' });
    const rank = (await eventsOf(world, player.accountId)).find((e) => e.type === 'rank.changed')!;
    // Three leases and past the relay's grace go by, in steps shorter than a lease; after
    // each, the live job has pushed its lease ahead of the clock again.
    for (let step = 0; step < 10; step++) {
      world.clock.advance(300);
      await waitFor(async () => (await leaseOf(rank.id)) > world.clock.nowMs() + 500, {
        what: `the lease renewed (step ${step})`,
      });
    }
    expect(await world.app.app.get(OutboxRelayCron).tick()).toBe(0);
    gateway.release();
    await settled(world);
    expect(gateway.reached).toBe(readsBefore + 1);
    expect(await eventsOf(world, player.accountId)).toContainEqual(
      expect.objectContaining({ id: rank.id, status: 'completed', attempts: 1 }),
    );
    expect(world.discord.to(player.userId).filter((n) => n.kind === 'rankUp')).toHaveLength(1);
    expect(gateway.rolesOf(player.userId)).toEqual([ROLE.rank4]);
  });

  it('a worker whose claim was taken over cannot settle the row', async () => {
    const repository = world.app.app.get(SyncEventRepository);
    const player = await discordPlayer(world);
    const [{ id }]: { id: string }[] = await world.db.query(
      `INSERT INTO sync_events (type, source, account_id, status, attempts, lease_until,
                                next_attempt_at, created_at)
       VALUES ('roles.resync', 'system', $1, 'processing', 1, $2, $2, $2) RETURNING id`,
      // A lease far ahead: this world's relay and worker must leave the row to the test.
      [player.accountId, new Date(world.clock.nowMs() + 3_600_000)],
    );
    // The first worker (attempt 1) lost its claim; another claimed the row (attempt 2).
    expect(await repository.renewLease([{ id: String(id), attempts: 2 }])).toBe(0);
    const stale = { id: String(id), attempts: 1 };
    await world.db.query(`UPDATE sync_events SET attempts = 2 WHERE id = $1`, [id]);
    expect(await repository.renewLease([stale])).toBe(0);
    await repository.complete([{ ...stale, note: null }]);
    await repository.fail([{ ...stale, error: 'stale', nextAttemptAt: world.clock.now() }]);
    const [row]: { status: string; last_error: string | null }[] = await world.db.query(
      `SELECT status, last_error FROM sync_events WHERE id = $1`,
      [id],
    );
    expect(row).toEqual({ status: 'processing', last_error: null });
    expect(await repository.renewLease([{ id: String(id), attempts: 2 }])).toBe(1);
    await repository.complete([{ id: String(id), attempts: 2, note: null }]);
    const [after]: { status: string }[] = await world.db.query(
      `SELECT status FROM sync_events WHERE id = $1`,
      [id],
    );
    expect(after.status).toBe('completed');
  });

  it('a member lock held longer than its TTL stays held until released', async () => {
    const lock = world.app.app.get(MemberLock);
    const redis = world.app.app.get<Redis>(REDIS);
    const key = 'lock:member:424242424242424242';
    let release: () => void = () => undefined;
    const held = lock.withLock('424242424242424242', () => new Promise<void>((r) => (release = r)));
    await waitFor(async () => (await redis.get(key)) !== null, { what: 'the lock taken' });
    const takenAt = Date.now();
    // The TTL is 1 s of Redis time (wall time): past it, the key must still be ours.
    await waitFor(() => Date.now() - takenAt > 1_600, { what: '1.6 s', timeoutMs: 5_000 });
    expect(await redis.get(key)).not.toBeNull();
    expect(await redis.pttl(key)).toBeGreaterThan(0);
    release();
    await held;
    expect(await redis.get(key)).toBeNull();
  });
});
