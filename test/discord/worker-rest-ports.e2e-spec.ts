/**
 * A process with the `worker` role and without the `discord` role (the bot runs elsewhere) still
 * applies Discord roles and DMs: its ports talk REST only, with no gateway session.
 */
import { DataSource } from 'typeorm';
import { ManualClock } from '@ttfd/clock';
import { LedgerService } from '@ttfd/economy';
import { IdentityService } from '@ttfd/linking';
import { FakeDiscord } from '../fakes/discord';
import { startTestApp, TestApp, waitFor } from '../support/test-app';

describe('a worker without the discord role', () => {
  let fake: FakeDiscord;
  let t: TestApp;

  beforeAll(async () => {
    fake = await FakeDiscord.start();
    t = await startTestApp({
      clock: new ManualClock('2026-03-02T10:00:00Z'),
      env: {
        APP_ROLES: 'worker,scheduler',
        DISCORD_BOT_TOKEN: fake.token,
        DISCORD_GUILD_ID: fake.guild.id,
        DISCORD_API_BASE: fake.apiBase,
      },
    });
    const db = t.app.get(DataSource);
    await db.query(`UPDATE rank_role_mappings SET discord_role_id = $1 WHERE rank_id = 4`, [
      fake.guild.roles.rank1,
    ]);
    await db.query(`UPDATE rank_role_mappings SET discord_role_id = $1 WHERE rank_id = 5`, [
      fake.guild.roles.rank2,
    ]);
  });

  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  it('moves the rank role with one DELETE and one PUT and sends the rank-up DM, with no gateway session', async () => {
    const { alice } = fake.guild.users;
    const { rank1, rank2, achievement } = fake.guild.roles;
    fake.setMemberRoles(fake.guild.id, alice.id, [achievement, rank1]);
    const { accountId } = await t.app.get(IdentityService).resolve('discord', alice.id);
    const ledger = t.app.get(LedgerService);
    await ledger.adjust({
      accountId,
      xp: 4_750,
      reason: 'admin_adjustment',
      source: 'admin',
      idempotencyKey: 'admin:worker-rest-1',
    });
    // The first contact's role resync and the adjustment converge first (rank 4 holds rank1).
    const db = t.app.get(DataSource);
    await waitFor(
      async () =>
        Number(
          (
            await db.query(
              `SELECT count(*) AS n FROM sync_events WHERE status IN ('pending', 'processing')`,
            )
          )[0].n,
        ) === 0,
      { what: 'the outbox to settle' },
    );
    const before = fake.roleCalls().length;
    await ledger.award({
      accountId,
      xp: 2_950, // 7,700: rank 5
      reason: 'discord_message',
      source: 'discord',
      idempotencyKey: 'worker-rest-2',
    });

    await waitFor(() => (fake.memberRoles(fake.guild.id, alice.id) ?? []).includes(rank2), {
      what: 'the rank-5 role',
    });
    expect(
      fake
        .roleCalls()
        .slice(before)
        .map((c) => ({ method: c.method, roleId: c.roleId })),
    ).toEqual([
      { method: 'DELETE', roleId: rank1 },
      { method: 'PUT', roleId: rank2 },
    ]);
    expect([...(fake.memberRoles(fake.guild.id, alice.id) ?? [])].sort()).toEqual(
      [achievement, rank2].sort(),
    );
    await waitFor(() => fake.dms(alice.id).length > 0, { what: 'the rank-up DM' });
    expect(fake.connectedSessions()).toBe(0);
  });
});
