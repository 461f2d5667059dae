import { ManualClock } from '@ttfd/clock';
import { EconomyModule, LedgerService } from '@ttfd/economy';
import { IdentityService } from '@ttfd/linking';
import { LaneSweepCron } from '@ttfd/sync';
import { InMemoryRoleGateway } from '@ttfd/sync/testing';
import { deleteRedisKeys } from '../support/global-teardown';
import { startTestApp } from '../support/test-app';
import { createRedisPrefix, createTestDatabase } from '../support/test-database';
import {
  award,
  discordPlayer,
  FAST_SYNC_ENV,
  newDiscordUserId,
  ROLE,
  settled,
  startSyncWorld,
} from './sync-harness';

/** Flow 3 and crash safety: Postgres is the truth, Redis only transport (wake-ups). */
describe('sweep and crash safety', () => {
  /** Awards made by a process without a worker; returns what a later worker must converge. */
  async function awardWithoutWorker(
    env: Record<string, string>,
    databaseUrlHolder: { database: Awaited<ReturnType<typeof createTestDatabase>> },
    redisPrefix: string,
    clock: ManualClock,
  ): Promise<{ userIds: string[]; elapsedMs: number }> {
    const producer = await startTestApp({
      existingDatabase: databaseUrlHolder.database,
      redisPrefix,
      clock,
      imports: [EconomyModule],
      env: { APP_ROLES: 'api', ...FAST_SYNC_ENV, ...env },
    });
    const identities = producer.app.get(IdentityService);
    const ledger = producer.app.get(LedgerService);
    const userIds: string[] = [];
    const started = Date.now();
    for (let i = 0; i < 5; i += 1) {
      const userId = newDiscordUserId();
      const { accountId } = await identities.resolve('discord', userId);
      await ledger.award({
        accountId,
        xp: 5_000,
        reason: 'discord_message',
        source: 'discord',
        idempotencyKey: `relay:${userId}`,
      });
      userIds.push(userId);
    }
    const elapsedMs = Date.now() - started;
    await producer.close({ keepData: true });
    return { userIds, elapsedMs };
  }

  async function convergeLater(
    database: Awaited<ReturnType<typeof createTestDatabase>>,
    redisPrefix: string,
    clock: ManualClock,
    userIds: string[],
  ): Promise<void> {
    const gateway = new InMemoryRoleGateway();
    for (const userId of userIds) gateway.setMember(userId, [ROLE.vip]);
    const world = await startSyncWorld({ existingDatabase: database, redisPrefix, clock, gateway });
    try {
      // Per player, the first contact's roles.resync and the award's rank.changed wait (the
      // award's totals have no outbox row: the ledger is their record).
      const pending: { type: string }[] = await world.db.query(
        `SELECT type FROM sync_events WHERE status = 'pending' ORDER BY type`,
      );
      expect(pending.map((row) => row.type)).toEqual([
        ...userIds.map(() => 'rank.changed'),
        ...userIds.map(() => 'roles.resync'),
      ]);
      await settled(world); // the sweep wakes the lane
      for (const userId of userIds) {
        expect(gateway.rolesOf(userId)).toEqual([ROLE.rank4, ROLE.vip].sort());
      }
      expect(gateway.changes()).toHaveLength(userIds.length);
    } finally {
      await world.app.close({ keepData: true });
    }
  }

  it('an award never waits on a dead Redis; the sweep completes its events later', async () => {
    const database = await createTestDatabase();
    const redis = createRedisPrefix();
    const clock = new ManualClock();
    try {
      const { userIds, elapsedMs } = await awardWithoutWorker(
        { REDIS_URL: 'redis://127.0.0.1:1', OUTBOX_ENQUEUE_TIMEOUT_MS: '200' },
        { database },
        redis.prefix,
        clock,
      );
      expect(elapsedMs).toBeLessThan(2_000);
      await convergeLater(database, redis.prefix, clock, userIds);
    } finally {
      await database.drop();
      await redis.cleanup();
    }
  });

  it('events committed before Redis was flushed, with no worker running, all complete after the sweep', async () => {
    const database = await createTestDatabase();
    const redis = createRedisPrefix();
    const clock = new ManualClock();
    try {
      const { userIds } = await awardWithoutWorker({}, { database }, redis.prefix, clock);
      await deleteRedisKeys(`${redis.prefix}*`); // the jobs are gone
      await convergeLater(database, redis.prefix, clock, userIds);
    } finally {
      await database.drop();
      await redis.cleanup();
    }
  });

  it('takes over a row and a member lease whose worker died, once the lease runs out', async () => {
    const world = await startSyncWorld();
    try {
      const { userId, accountId } = await discordPlayer(world);
      // A worker died holding the row and the member for 1.5 more seconds (the database's clock).
      await world.db.query(
        `INSERT INTO sync_events (type, source, account_id, status, attempts, lease_until,
                                  next_attempt_at, created_at)
         VALUES ('roles.resync', 'system', $1, 'processing', 1, now() + interval '1500 ms',
                 now() + interval '1500 ms', now())`,
        [accountId],
      );
      await world.db.query(
        `INSERT INTO sync_member_leases (discord_user_id, holder, lease_until)
         VALUES ($1, 'dead-worker', now() + interval '1500 ms')`,
        [userId],
      );
      const sweep = world.app.app.get(LaneSweepCron);
      expect(await sweep.tick()).toEqual([]); // lease still held
      await settled(world);
      expect(world.gateway.rolesOf(userId)).toEqual([ROLE.rank1]);
      const [row]: { attempts: number }[] = await world.db.query(
        `SELECT attempts FROM sync_events WHERE type = 'roles.resync' AND account_id = $1
          ORDER BY id DESC LIMIT 1`,
        [accountId],
      );
      expect(row.attempts).toBe(2);
    } finally {
      await world.app.close();
    }
  });

  it('two worker processes on one queue complete each event once', async () => {
    const gateway = new InMemoryRoleGateway();
    const first = await startSyncWorld({ gateway, env: { APP_ROLES: 'worker' } });
    const second = await startSyncWorld({
      gateway,
      existingDatabase: first.app.database,
      redisPrefix: first.app.redisPrefix,
      clock: first.clock,
      env: { APP_ROLES: 'worker' },
      mapRoles: false,
    });
    try {
      const players = await Promise.all(Array.from({ length: 20 }, () => discordPlayer(first)));
      await Promise.all(players.map((p) => award(first, p.accountId, 5_000)));
      // Extra wake-ups through the other process too: the rows decide.
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          second.queues.add('sync.lane', { lane: 'roles' }, `other-${i}`),
        ),
      );
      await settled(first);
      const events: { type: string; status: string; attempts: number }[] = await first.db.query(
        `SELECT type, status, attempts FROM sync_events`,
      );
      // Processed once each.
      expect(events.filter((e) => e.status !== 'completed' || e.attempts !== 1)).toEqual([]);
      expect(gateway.changes()).toHaveLength(players.length);
      for (const player of players) expect(gateway.rolesOf(player.userId)).toEqual([ROLE.rank4]);
    } finally {
      await second.app.close({ keepData: true });
      await first.app.close();
    }
  });
});
