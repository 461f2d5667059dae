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
