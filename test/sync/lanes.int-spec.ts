import { deleteRedisKeys } from '../support/global-teardown';
import { waitFor } from '../support/test-app';
import { HeldGateway } from './held-gateway';
import { OverlapGateway } from './overlap-gateway';
import {
  award,
  discordPlayer,
  eventsOf,
  ROLE,
  settled,
  startSyncWorld,
  SyncWorld,
} from './sync-harness';

/** A sweep that never runs on its own: what these tests see, wake-ups alone did. */
const NO_SWEEP = { SYNC_RELAY_INTERVAL_MS: '600000' };

/** Jobs are wake-ups of a lane; rows are claimed from Postgres; members are leased. */
describe('sync lanes', () => {
  describe('wake-ups without the sweep', () => {
    const gateway = new HeldGateway('add');
    let world: SyncWorld;

    beforeAll(async () => {
      world = await startSyncWorld({ gateway, env: NO_SWEEP });
    });

    afterAll(async () => {
      gateway.release();
      await world?.app.close();
    });

    it("a row committed while its lane's job is active is claimed without the sweep", async () => {
      const slow = await discordPlayer(world);
      const quick = await discordPlayer(world);
      gateway.hold();
      const reached = gateway.reached;
      await award(world, slow.accountId, 5_000);
      await waitFor(() => gateway.reached === reached + 1, { what: 'the first batch at Discord' });
      // The lane's job is active (held at Discord). A row committed now is claimed at once,
      // while that job still holds its batch.
      await award(world, quick.accountId, 5_000);
      await waitFor(() => gateway.reached === reached + 2, { what: 'the second row claimed' });
      gateway.release();
      await settled(world);
      expect(gateway.rolesOf(slow.userId)).toEqual([ROLE.rank4]);
      expect(gateway.rolesOf(quick.userId)).toEqual([ROLE.rank4]);
    });

    it('awards committed at random moments while claims run all settle without the sweep', async () => {
      const players = await Promise.all(Array.from({ length: 20 }, () => discordPlayer(world)));
      for (let round = 0; round < 10; round += 1) {
        await Promise.all(
          players.map(async (player, i) => {
            await new Promise((resolve) => setTimeout(resolve, (i * 7 + round * 3) % 11));
            await award(world, player.accountId, round === 0 ? 5_000 : 1);
          }),
        );
      }
      await settled(world);
      for (const player of players) expect(gateway.rolesOf(player.userId)).toEqual([ROLE.rank4]);
      for (const player of players) {
        for (const event of await eventsOf(world, player.accountId)) {
          expect(event).toMatchObject({ status: 'completed', attempts: 1 });
        }
      }
    });
  });

  it('two workers, 10,000 events over 100 members: no member converged twice at once, every event once, a Redis flush mid-run', async () => {
    const gateway = new OverlapGateway();
    const env = { SYNC_RELAY_INTERVAL_MS: '200', SYNC_JOB_BATCH_SIZE: '50' };
    const first = await startSyncWorld({ gateway, env });
    const second = await startSyncWorld({
      gateway,
      existingDatabase: first.app.database,
      redisPrefix: first.app.redisPrefix,
      clock: first.clock,
      env: { ...env, APP_ROLES: 'worker' },
      mapRoles: false,
    });
    try {
      const players = await Promise.all(
        Array.from({ length: 100 }, () => discordPlayer(first, [ROLE.vip])),
      );
      await first.db.query(
        `INSERT INTO sync_events (type, source, account_id, payload, next_attempt_at, created_at)
         SELECT 'roles.resync', 'admin', (a.ids)[1 + g % 100], '{"reason":"test"}', now(), now()
           FROM generate_series(0, 9999) AS g,
                (SELECT array_agg(id ORDER BY id) AS ids FROM unnest($1::bigint[]) AS id) a`,
        [players.map((p) => p.accountId)],
      );
      await Promise.all([
        first.queues.add('sync.lane', { lane: 'roles' }, 'start-1'),
        second.queues.add('sync.lane', { lane: 'roles' }, 'start-2'),
      ]);
      // Mid-run, the queue's keys go: only wake-ups are lost, the sweep wakes the lane again.
      await waitFor(
        async () => {
          const [{ done }] = await first.db.query(
            `SELECT count(*) AS done FROM sync_events WHERE status = 'completed'
                AND type = 'roles.resync' AND payload->>'reason' = 'test'`,
          );
          return Number(done) >= 2_000;
        },
        { timeoutMs: 60_000, what: 'a fifth of the events' },
      );
      await deleteRedisKeys(`${first.app.redisPrefix}*`);
      await settled(first, 120_000);
      const rows: { status: string; attempts: number; n: string }[] = await first.db.query(
        `SELECT status, attempts, count(*) AS n FROM sync_events
          WHERE type = 'roles.resync' AND payload->>'reason' = 'test'
          GROUP BY status, attempts`,
      );
      expect(rows.map((r) => [r.status, r.attempts, Number(r.n)])).toEqual([
        ['completed', 1, 10_000],
      ]);
      expect(gateway.overlaps).toBe(0);
      for (const player of players) {
        expect(gateway.rolesOf(player.userId)).toEqual([ROLE.rank1, ROLE.vip].sort());
      }
      const [{ leases }] = await first.db.query(
        `SELECT count(*) AS leases FROM sync_member_leases`,
      );
      expect(Number(leases)).toBe(0);
    } finally {
      await second.app.close({ keepData: true });
      await first.app.close();
    }
  }, 180_000);
});

describe('sync lanes on embedded PGlite (one connection, one claimer per lane)', () => {
  it('an award reaches the member and its events settle once', async () => {
    const world = await startSyncWorld({ database: 'pglite' });
    try {
      const players = await Promise.all(Array.from({ length: 5 }, () => discordPlayer(world)));
      await Promise.all(players.map((player) => award(world, player.accountId, 5_000)));
      await settled(world);
      for (const player of players) {
        expect(world.gateway.rolesOf(player.userId)).toEqual([ROLE.rank4]);
        for (const event of await eventsOf(world, player.accountId)) {
          expect(event).toMatchObject({ status: 'completed', attempts: 1 });
        }
      }
    } finally {
      await world.app.close();
    }
  });
});
