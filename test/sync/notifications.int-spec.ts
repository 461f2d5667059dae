import { Notification, NotifierRegistry } from '@ttfd/sync';
import { RecordingNotifier } from '@ttfd/sync/testing';
import { waitFor } from '../support/test-app';
import { award, discordPlayer, ROLE, settled, startSyncWorld, SyncWorld } from './sync-harness';

/** A notifier whose sends wait until the test lets them through: a slow platform. */
class HeldNotifier extends RecordingNotifier {
  reached = 0;
  private open: () => void = () => undefined;
  private gate: Promise<void> | null = null;

  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  release(): void {
    this.open();
    this.gate = null;
  }

  override async notify(externalId: string, notification: Notification): Promise<'sent' | 'gone'> {
    this.reached += 1;
    if (this.gate) await this.gate;
    return super.notify(externalId, notification);
  }
}

interface DmRow {
  lane: string;
  status: string;
  attempts: number;
  last_error: string | null;
}

async function dmRows(world: SyncWorld, accountId: string): Promise<DmRow[]> {
  return world.db.query(
    `SELECT lane, status, attempts, last_error FROM sync_events
      WHERE type = 'notify.dm' AND account_id = $1 ORDER BY lane`,
    [accountId],
  );
}

/** A Discord member with a Telegram identity on the same account. */
async function linkedPlayer(
  world: SyncWorld,
): Promise<{ userId: string; accountId: string; chatId: string }> {
  const player = await discordPlayer(world);
  const chatId = String(700_000_000 + Math.floor(Math.random() * 100_000_000));
  await world.db.query(
    `INSERT INTO identities (account_id, platform, external_id) VALUES ($1, 'telegram', $2)`,
    [player.accountId, chatId],
  );
  return { ...player, chatId };
}

/** Notifications in lanes of their own: one row per platform, independent of roles. */
describe('notification lanes', () => {
  describe('independent platforms', () => {
    let world: SyncWorld;

    beforeAll(async () => {
      world = await startSyncWorld();
    });

    afterAll(async () => {
      await world?.app.close();
    });

    it('a failing Telegram neither holds the role nor repeats the Discord DM', async () => {
      const player = await linkedPlayer(world);
      world.telegram.failNext(2);
      await award(world, player.accountId, 5_000); // rank 1 -> 4
      await settled(world);
      expect(world.gateway.rolesOf(player.userId)).toEqual([ROLE.rank4]);
      const [rank]: { attempts: number; status: string }[] = await world.db.query(
        `SELECT attempts, status FROM sync_events WHERE account_id = $1 AND type = 'rank.changed'`,
        [player.accountId],
      );
      expect(rank).toEqual({ attempts: 1, status: 'completed' });
      expect(await dmRows(world, player.accountId)).toEqual([
        { lane: 'dm:discord', status: 'completed', attempts: 1, last_error: null },
        { lane: 'dm:telegram', status: 'completed', attempts: 3, last_error: null },
      ]);
      expect(world.discord.to(player.userId).filter((n) => n.kind === 'rankUp')).toHaveLength(1);
      expect(world.telegram.to(player.chatId).filter((n) => n.kind === 'rankUp')).toHaveLength(1);
    });

    it('a slow platform never holds a role change', async () => {
      const slow = new HeldNotifier('discord');
      const registry = world.app.app.get(NotifierRegistry);
      registry.register(slow);
      try {
        slow.hold();
        const first = await discordPlayer(world);
        const second = await discordPlayer(world);
        await award(world, first.accountId, 5_000);
        await waitFor(() => slow.reached >= 1, { what: 'the first DM at Discord' });
        // The first DM hangs; the second member's role change still lands.
        await award(world, second.accountId, 5_000);
        await waitFor(() => world.gateway.rolesOf(second.userId)?.includes(ROLE.rank4), {
          what: "the second member's role while the first DM hangs",
        });
        slow.release();
        await settled(world);
        expect(slow.to(first.userId).filter((n) => n.kind === 'rankUp')).toHaveLength(1);
        expect(slow.to(second.userId).filter((n) => n.kind === 'rankUp')).toHaveLength(1);
      } finally {
        slow.release();
        registry.register(world.discord);
      }
    });
  });

  it('a Discord DM is retried only within its window, then failed with the reason', async () => {
    const world = await startSyncWorld({
      env: {
        SYNC_DM_RETRY_WINDOW_MS: '1000',
        SYNC_BACKOFF_BASE_MS: '400',
        SYNC_BACKOFF_MAX_MS: '400',
        SYNC_BACKOFF_JITTER: 'false',
        SYNC_MAX_ATTEMPTS: '20',
      },
    });
    try {
      const player = await discordPlayer(world);
      world.discord.failNext(100);
      await award(world, player.accountId, 5_000);
      await settled(world);
      expect(world.gateway.rolesOf(player.userId)).toEqual([ROLE.rank4]);
      const [dm] = await dmRows(world, player.accountId);
      expect(dm).toMatchObject({ lane: 'dm:discord', status: 'failed' });
      // Attempts at 0, 0.4 and 0.8 s; the next would be past 1 s.
      expect(dm.attempts).toBe(3);
      expect(dm.last_error).toContain('simulated notifier failure');
      expect(dm.last_error).toContain('not retried');
      expect(world.discord.to(player.userId)).toEqual([]);
    } finally {
      await world.app.close();
    }
  });
});
