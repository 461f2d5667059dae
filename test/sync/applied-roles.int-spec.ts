/**
 * The member's applied roles, stored: a convergence plans from what we last set or listed
 * instead of reading the member from Discord, marks the state unknown while its calls are in
 * flight (a crash in between leaves it unknown, so the next convergence reads), reads fresh on a
 * roles.resync, and reconcile's member listing finds what humans changed in Discord.
 */
import { rankThreshold } from '@ttfd/economy';
import { inTransaction } from '@ttfd/database';
import { OutboxWriter, SyncAdminService } from '@ttfd/sync';
import { StatementLog } from '../support/statement-log';
import { waitFor } from '../support/test-app';
import { HeldGateway } from './held-gateway';
import {
  award,
  discordPlayer,
  reconcileNow,
  ROLE,
  settledAccount,
  startSyncWorld,
  SyncWorld,
} from './sync-harness';

describe('applied roles, stored', () => {
  const gateway = new HeldGateway('add');
  let world: SyncWorld;

  beforeAll(async () => {
    world = await startSyncWorld({ gateway });
  });

  afterAll(async () => {
    gateway.release();
    await world?.app.close();
  });

  const stored = async (userId: string): Promise<string[] | null | undefined> => {
    const rows: { role_ids: string[] | null }[] = await world.db.query(
      `SELECT role_ids FROM discord_member_roles WHERE discord_user_id = $1`,
      [userId],
    );
    return rows.length === 0 ? undefined : rows[0].role_ids && [...rows[0].role_ids].sort();
  };
  const callsOf = (userId: string, from: number) =>
    gateway.calls.slice(from).filter((call) => call.userId === userId);

  it('reads the member once, then plans rank-ups from the stored state', async () => {
    const player = await discordPlayer(world, [ROLE.vip]);
    const first = gateway.calls.length;
    await award(world, player.accountId, 4_750); // rank 4
    await settledAccount(world, player.accountId);
    expect(callsOf(player.userId, first).map((c) => c.op)).toEqual(['read', 'add']);
    expect(await stored(player.userId)).toEqual([ROLE.rank4, ROLE.vip].sort());

    const mark = gateway.calls.length;
    await award(world, player.accountId, 3_000); // rank 5
    await settledAccount(world, player.accountId);
    expect(callsOf(player.userId, mark)).toEqual([
      { op: 'remove', userId: player.userId, roleId: ROLE.rank4 },
      { op: 'add', userId: player.userId, roleId: ROLE.rank5 },
    ]);
    expect(gateway.rolesOf(player.userId)).toEqual([ROLE.rank5, ROLE.vip].sort());
    expect(await stored(player.userId)).toEqual([ROLE.rank5, ROLE.vip].sort());
  });

  it("a lane's rank-up takes and stores the member's roles in its claim and settle: no statement of its own", async () => {
    const player = await discordPlayer(world, [ROLE.vip]);
    await award(world, player.accountId, 4_750); // rank 4
    await settledAccount(world, player.accountId);

    const log = new StatementLog();
    log.start();
    try {
      const { sql } = await log.during(async () => {
        await award(world, player.accountId, 3_000); // rank 5
        await settledAccount(world, player.accountId);
      });
      const ownStatements = sql.filter(
        (text) => text.includes('discord_member_roles') && !text.includes('sync_events'),
      );
      expect(ownStatements).toEqual([]);
    } finally {
      log.stop();
    }
    expect(gateway.rolesOf(player.userId)).toEqual([ROLE.rank5, ROLE.vip].sort());
    expect(await stored(player.userId)).toEqual([ROLE.rank5, ROLE.vip].sort());
  });

  it('marks the state unknown while a change is in flight, and reads after a failed one', async () => {
    const player = await discordPlayer(world);
    await award(world, player.accountId, 4_750);
    await settledAccount(world, player.accountId);
    expect(await stored(player.userId)).toEqual([ROLE.rank4]);

    gateway.hold();
    await award(world, player.accountId, 3_000);
    await waitFor(async () => (await stored(player.userId)) === null, {
      what: 'the stored roles to be marked unknown',
    });
    gateway.release();
    await settledAccount(world, player.accountId);
    expect(await stored(player.userId)).toEqual([ROLE.rank5]);

    // A change that fails midway leaves the state unknown: the retry reads the member first.
    const mark = gateway.calls.length;
    gateway.failNext(1, { op: 'remove' });
    await award(world, player.accountId, rankThreshold(6) - 7_750); // rank 6: no role mapped
    await settledAccount(world, player.accountId);
    expect(callsOf(player.userId, mark).map((c) => c.op)).toEqual(['remove', 'read', 'remove']);
    expect(gateway.rolesOf(player.userId)).toEqual([]);
    expect(await stored(player.userId)).toEqual([]);
  });

  it('a roles.resync reads the member fresh and repairs a change made by hand', async () => {
    const player = await discordPlayer(world);
    await award(world, player.accountId, 4_750);
    await settledAccount(world, player.accountId);
    gateway.setMember(player.userId, [ROLE.vip]); // a moderator took the rank role away

    const mark = gateway.calls.length;
    await world.app.app.get(SyncAdminService).resyncAccount(player.accountId);
    await settledAccount(world, player.accountId);
    expect(callsOf(player.userId, mark).map((c) => c.op)).toEqual(['read', 'add']);
    expect(gateway.rolesOf(player.userId)).toEqual([ROLE.rank4, ROLE.vip].sort());
    expect(await stored(player.userId)).toEqual([ROLE.rank4, ROLE.vip].sort());
  });

  it('a mapping-change resync plans from the stored state: a settled member costs Discord no call, not even a read', async () => {
    const player = await discordPlayer(world, [ROLE.vip]);
    await award(world, player.accountId, 4_750); // rank 4
    await settledAccount(world, player.accountId);

    const mark = gateway.calls.length;
    await inTransaction(world.db, undefined, (tx) =>
      world.app.app.get(OutboxWriter).append(tx, [
        {
          type: 'roles.resync',
          source: 'admin',
          accountId: player.accountId,
          payload: { reason: 'rank_mapping_changed', keys: ['9'] },
        },
      ]),
    );
    await settledAccount(world, player.accountId);
    expect(callsOf(player.userId, mark)).toEqual([]);
    expect(await stored(player.userId)).toEqual([ROLE.rank4, ROLE.vip].sort());
  });

  it("reconcile's member listing finds drift made by hand and stores what it saw", async () => {
    const player = await discordPlayer(world);
    await award(world, player.accountId, 4_750);
    await settledAccount(world, player.accountId);
    gateway.setMember(player.userId, [ROLE.vip]);

    await reconcileNow(world);
    expect(gateway.rolesOf(player.userId)).toEqual([ROLE.rank4, ROLE.vip].sort());
    expect(await stored(player.userId)).toEqual([ROLE.rank4, ROLE.vip].sort());

    // Undrifted members keep the listed state: a later rank-up plans from it without a read.
    const mark = gateway.calls.length;
    await award(world, player.accountId, 3_000);
    await settledAccount(world, player.accountId);
    expect(callsOf(player.userId, mark).map((c) => c.op)).toEqual(['remove', 'add']);
  });
});
