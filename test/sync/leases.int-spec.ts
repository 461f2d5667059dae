import { LaneSweepCron, MemberLeases, SyncEventRepository } from '@ttfd/sync';
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
 * Work that outlasts its lease is still done once: the rows' and the member's leases are
 * renewed while the work runs, a worker that lost its claim anyway cannot settle the row, and a
 * member leased by one convergence is converged by no other until it is released.
 */
describe('leases held by live work', () => {
  const gateway = new HeldGateway('read');
  let world: SyncWorld;

  beforeAll(async () => {
    world = await startSyncWorld({
      gateway,
      // Leases of 1 s by the database's clock; a sweep that never runs on its own.
      env: { SYNC_LEASE_MS: '1000', SYNC_RELAY_INTERVAL_MS: '600000' },
    });
  });

  afterAll(async () => {
    gateway.release();
    await world?.app.close();
  });

  const rowOf = async (id: string) => {
    const [row]: { status: string; attempts: number; due: boolean }[] = await world.db.query(
      `SELECT status, attempts, next_attempt_at <= now() AS due FROM sync_events WHERE id = $1`,
      [id],
    );
    return row;
  };

  it('a batch slower than its lease keeps its rows and its member: nobody runs them again', async () => {
    const player = await discordPlayer(world);
    gateway.hold();
    const readsBefore = gateway.reached;
    await world.db.query(
      `INSERT INTO sync_events (type, source, account_id, payload, next_attempt_at, created_at)
       VALUES ('roles.resync', 'admin', $1, '{}', now(), now())`,
      [player.accountId],
    );
    await world.app.app.get(LaneSweepCron).tick();
    await waitFor(() => gateway.reached === readsBefore + 1, {
      what: 'the batch to reach Discord',
    });
    const [resync] = (await eventsOf(world, player.accountId)).filter(
      (e) => e.type === 'roles.resync' && e.status === 'processing',
    );
    // Three leases go by (real time: the database's clock); the live batch renews them.
    const until = Date.now() + 3_000;
    await waitFor(
      async () => {
        expect(await rowOf(resync.id)).toEqual({ status: 'processing', attempts: 1, due: false });
        return Date.now() > until;
      },
      { timeoutMs: 6_000, intervalMs: 200, what: '3 s of renewed leases' },
    );
    expect(await world.app.app.get(LaneSweepCron).tick()).toEqual([]);
    // A direct convergence (/sync, reconcile) waits for the member's lease.
    let directDone = false;
    const direct = world.app.app.get(MemberLeases).withLease(player.userId, async () => {
      directDone = true;
    });
    const [{ holder }]: { holder: string }[] = await world.db.query(
      `SELECT holder FROM sync_member_leases WHERE discord_user_id = $1`,
      [player.userId],
    );
    expect(holder).not.toMatch(/^direct:/);
    expect(directDone).toBe(false);
    gateway.release();
    await settled(world);
    await direct;
    expect(directDone).toBe(true);
    expect(gateway.reached).toBe(readsBefore + 1);
    expect(await rowOf(resync.id)).toMatchObject({ status: 'completed', attempts: 1 });
  });

  it('a renewal still running when the work ends finishes before the settle; renewals never overlap', async () => {
    // Both statements update the batch's rows; run side by side on a large batch they lock the
    // rows in different orders and deadlock (Postgres aborts one: a lost settle runs the batch
    // again). Here one renewal is held on a row lock while the work ends.
    const repository = world.app.app.get(SyncEventRepository);
    const renewLease = repository.renewLease.bind(repository);
    const settle = repository.settle.bind(repository);
    let renewing = 0;
    let mostAtOnce = 0;
    let settlesBesideARenewal = 0;
    let settles = 0;
    const renewals = jest.spyOn(repository, 'renewLease').mockImplementation(async (...args) => {
      renewing += 1;
      mostAtOnce = Math.max(mostAtOnce, renewing);
      try {
        return await renewLease(...args);
      } finally {
        renewing -= 1;
      }
    });
    const settlements = jest.spyOn(repository, 'settle').mockImplementation(async (...args) => {
      settles += 1;
      if (renewing > 0) settlesBesideARenewal += 1;
      return settle(...args);
    });
    const lock = world.db.createQueryRunner();
    try {
      const player = await discordPlayer(world);
      gateway.hold();
      const readsBefore = gateway.reached;
      const [{ id }]: { id: string }[] = await world.db.query(
        `INSERT INTO sync_events (type, source, account_id, payload, next_attempt_at, created_at)
         VALUES ('roles.resync', 'admin', $1, '{}', now(), now()) RETURNING id`,
        [player.accountId],
      );
      await world.app.app.get(LaneSweepCron).tick();
      await waitFor(() => gateway.reached === readsBefore + 1, {
        what: 'the batch to reach Discord',
      });
      await lock.connect();
      await lock.startTransaction();
      await lock.query(`SELECT 1 FROM sync_events WHERE id = $1 FOR UPDATE`, [id]);
      await waitFor(() => renewing > 0, { what: 'a renewal waiting on the row lock' });
      // Two more renewal intervals (a third of the 1 s lease each) go by while it waits.
      const until = Date.now() + 800;
      await waitFor(() => Date.now() > until, { intervalMs: 100, what: 'two renewal intervals' });
      gateway.release();
      // The work is done; the settle must wait for the held renewal.
      const settleDue = Date.now() + 1_000;
      await waitFor(() => settles > 0 || Date.now() > settleDue, {
        intervalMs: 50,
        what: 'the settle, or a second',
      });
      await lock.rollbackTransaction();
      await settled(world);
      expect(settlesBesideARenewal).toBe(0);
      expect(mostAtOnce).toBe(1);
      expect(await rowOf(String(id))).toMatchObject({ status: 'completed', attempts: 1 });
    } finally {
      gateway.release();
      if (lock.isTransactionActive) await lock.rollbackTransaction();
      await lock.release();
      renewals.mockRestore();
      settlements.mockRestore();
    }
  });

  it('a member leased by a direct convergence is skipped, then claimed at its release without the sweep', async () => {
    const player = await discordPlayer(world);
    let release: () => void = () => undefined;
    const held = world.app.app
      .get(MemberLeases)
      .withLease(player.userId, () => new Promise<void>((resolve) => (release = resolve)));
    await waitFor(
      async () =>
        (
          await world.db.query(`SELECT 1 FROM sync_member_leases WHERE discord_user_id = $1`, [
            player.userId,
          ])
        ).length > 0,
      { what: 'the direct lease taken' },
    );
    const sync = world.queues.queue('sync');
    const completedBefore = await sync.getCompletedCount();
    await award(world, player.accountId, 5_000); // rank 1 -> 4: its wake-up runs, claims nothing
    await waitFor(async () => (await sync.getCompletedCount()) > completedBefore, {
      what: 'the wake-up job to finish',
    });
    const [rank] = (await eventsOf(world, player.accountId)).filter(
      (e) => e.type === 'rank.changed',
    );
    expect(rank).toMatchObject({ status: 'pending', attempts: 0 });
    release();
    await held;
    await settled(world); // woken by the release: the sweep never runs in this world
    expect(gateway.rolesOf(player.userId)).toEqual([ROLE.rank4]);
    expect((await eventsOf(world, player.accountId)).find((e) => e.id === rank.id)).toMatchObject({
      status: 'completed',
      attempts: 1,
    });
  });

  it('a claim leases the member and reads what the effects need in the same statement', async () => {
    const repository = world.app.app.get(SyncEventRepository);
    const player = await discordPlayer(world, [ROLE.rank1]);
    // Not woken: the world's worker leaves this bulk row to the test.
    await world.db.query(
      `INSERT INTO sync_events (type, source, account_id, payload, lane, next_attempt_at, created_at)
       VALUES ('roles.resync', 'admin', $1, '{"bulk": true}', 'roles-bulk', now(), now())`,
      [player.accountId],
    );
    const claimed = await repository.claim('roles-bulk', 'test-holder', 10);
    expect(claimed).toHaveLength(1);
    expect(claimed[0]).toMatchObject({
      member: player.userId,
      earned: { rankId: 1, achievementCodes: [] },
      dmOptOut: false,
    });
    const [{ holder }]: { holder: string }[] = await world.db.query(
      `SELECT holder FROM sync_member_leases WHERE discord_user_id = $1`,
      [player.userId],
    );
    expect(holder).toBe('test-holder');
    await repository.settle(
      'roles-bulk',
      'test-holder',
      [{ id: claimed[0].id, attempts: claimed[0].attempts, note: null }],
      [],
    );
    const leases = await world.db.query(`SELECT 1 FROM sync_member_leases WHERE holder = $1`, [
      'test-holder',
    ]);
    expect(leases).toHaveLength(0);
  });

  it('a worker whose claim was taken over cannot settle the row', async () => {
    const repository = world.app.app.get(SyncEventRepository);
    const player = await discordPlayer(world);
    const [{ id }]: { id: string }[] = await world.db.query(
      `INSERT INTO sync_events (type, source, account_id, status, attempts, lease_until,
                                next_attempt_at, created_at)
       VALUES ('roles.resync', 'system', $1, 'processing', 1, now() + interval '1 hour',
               now() + interval '1 hour', now()) RETURNING id`,
      // A lease far ahead: this world's worker must leave the row to the test.
      [player.accountId],
    );
    // The first worker (attempt 1) lost its claim; another claimed the row (attempt 2).
    expect(await repository.renewLease([{ id: String(id), attempts: 2 }])).toBe(0);
    const stale = { id: String(id), attempts: 1 };
    await world.db.query(`UPDATE sync_events SET attempts = 2 WHERE id = $1`, [id]);
    expect(await repository.renewLease([stale])).toBe(0);
    await repository.settle('roles', 'stale-holder', [{ ...stale, note: null }], []);
    await repository.settle(
      'roles',
      'stale-holder',
      [],
      [{ ...stale, error: 'stale', retryInMs: 0 }],
    );
    const [row]: { status: string; last_error: string | null }[] = await world.db.query(
      `SELECT status, last_error FROM sync_events WHERE id = $1`,
      [id],
    );
    expect(row).toEqual({ status: 'processing', last_error: null });
    expect(await repository.renewLease([{ id: String(id), attempts: 2 }])).toBe(1);
    await repository.settle(
      'roles',
      'live-holder',
      [{ id: String(id), attempts: 2, note: null }],
      [],
    );
    const [after]: { status: string }[] = await world.db.query(
      `SELECT status FROM sync_events WHERE id = $1`,
      [id],
    );
    expect(after.status).toBe('completed');
  });
  it("a batch's settle stores its members' roles only while it still holds their lease", async () => {
    const player = await discordPlayer(world);
    const events = world.app.app.get(SyncEventRepository);
    const storedRoles = async (): Promise<string[] | null> => {
      const [row]: { role_ids: string[] | null }[] = await world.db.query(
        `SELECT role_ids FROM discord_member_roles WHERE discord_user_id = $1`,
        [player.userId],
      );
      return row.role_ids;
    };
    // A row nobody wakes (written by SQL, the sweep off): claimed here, by hand.
    const due = async (): Promise<void> => {
      await world.db.query(
        `INSERT INTO sync_events (type, source, account_id, payload, next_attempt_at, created_at)
         VALUES ('roles.resync', 'admin', $1, '{}', now(), now())`,
        [player.accountId],
      );
    };
    await world.db.query(
      `INSERT INTO discord_member_roles (discord_user_id, role_ids, updated_at)
       VALUES ($1, $2::text[], now())
       ON CONFLICT (discord_user_id) DO UPDATE SET role_ids = excluded.role_ids`,
      [player.userId, [ROLE.rank4]],
    );

    await due();
    const [first] = await events.claim('roles', 'stale-holder', 10);
    expect(first.storedRoles).toEqual([ROLE.rank4]);
    expect(await storedRoles()).toBeNull(); // taken: unknown while the batch runs
    // The lease ran out and another batch took the member over: the stale settle stores nothing.
    await world.db.query(`UPDATE sync_member_leases SET holder = 'newer-holder'`);
    await events.settle(
      'roles',
      'stale-holder',
      [{ id: first.id, attempts: 1, note: null }],
      [],
      [],
      [{ member: player.userId, roleIds: [ROLE.rank5] }],
    );
    expect(await storedRoles()).toBeNull();
    await world.db.query(`DELETE FROM sync_member_leases WHERE holder = 'newer-holder'`);

    await due();
    const [second] = await events.claim('roles', 'live-holder', 10);
    expect(second.storedRoles).toBeNull(); // unknown: the next convergence reads the member
    await events.settle(
      'roles',
      'live-holder',
      [{ id: second.id, attempts: 1, note: null }],
      [],
      [],
      [{ member: player.userId, roleIds: [ROLE.rank5] }],
    );
    expect(await storedRoles()).toEqual([ROLE.rank5]);
  });
});
