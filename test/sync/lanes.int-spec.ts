import { Worker } from 'bullmq';
import { redisOptions } from '@ttfd/database';
import { LaneSweepCron } from '@ttfd/sync';
import { waitFor } from '../support/test-app';
import { HeldGateway } from './held-gateway';
import {
  award,
  discordPlayer,
  eventsOf,
  newDiscordUserId,
  ROLE,
  settled,
  startSyncWorld,
  SyncWorld,
} from './sync-harness';

/** A sweep that never runs on its own: what these tests see, wake-ups alone did. */
const NO_SWEEP = { SYNC_RELAY_INTERVAL_MS: '600000' };

/**
 * Jobs are wake-ups of a lane; rows are claimed from Postgres; members are leased. Members leased
 * across two worker processes, under a Redis flush: test/sync/two-worker-processes.e2e-spec.ts.
 */
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
});

describe('a wake-up taken by a worker that died before it claimed', () => {
  it('holds its lane back only briefly: the sweep wakes it again', async () => {
    // A process without a worker (the sweep is ticked by the test), leases of 1 s.
    const env = { ...NO_SWEEP, SYNC_LEASE_MS: '1000' };
    const scheduler = await startSyncWorld({ env: { ...env, APP_ROLES: 'api,scheduler' } });
    const config = scheduler.app.config;
    // The worker of another process: it takes the lane's wake-up and is killed before it
    // starts claiming (BullMQ keeps the job active until its lock runs out: 30 s).
    const doomed = new Worker('sync', null, {
      connection: redisOptions(config.redis.url, { maxRetriesPerRequest: null }),
      prefix: config.redis.prefix,
      autorun: false,
    });
    let survivor: SyncWorld | undefined;
    try {
      const { accountId } = await scheduler.identities.resolve('discord', newDiscordUserId());
      const [{ id }]: { id: string }[] = await scheduler.db.query(
        `INSERT INTO sync_events (type, source, account_id, payload, next_attempt_at, created_at)
         VALUES ('roles.resync', 'admin', $1, '{}', now(), now()) RETURNING id`,
        [accountId],
      );
      const sweep = scheduler.app.app.get(LaneSweepCron);
      expect(await sweep.tick()).toEqual(['roles']);
      expect((await doomed.getNextJob('doomed-token'))?.data).toEqual({ lane: 'roles' });
      await doomed.close(true);
      // A live worker process on the same database and Redis.
      survivor = await startSyncWorld({
        env: { ...env, APP_ROLES: 'worker' },
        existingDatabase: scheduler.app.database,
        redisPrefix: scheduler.app.redisPrefix,
        mapRoles: false,
      });
      // The sweep keeps waking the lane: the dead worker's job must not swallow those wake-ups
      // until BullMQ finds it stalled.
      await waitFor(
        async () => {
          await sweep.tick();
          const [row]: { status: string }[] = await scheduler.db.query(
            `SELECT status FROM sync_events WHERE id = $1`,
            [id],
          );
          return row.status === 'completed';
        },
        { timeoutMs: 15_000, intervalMs: 100, what: "the lane's row claimed by the live worker" },
      );
    } finally {
      await doomed.close(true);
      await survivor?.app.close({ keepData: true });
      await scheduler.app.close();
    }
  });
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
