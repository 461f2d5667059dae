/**
 * Roles through the real discord.js against the fake Discord: rank crossings become exactly one
 * DELETE and one PUT, never a PATCH; /sync repairs a hand-made change; 429s are waited out; a
 * member who left ends the event; a rejoin restores; /unlink takes only managed roles.
 */
import { ManualClock } from '@ttfd/clock';
import { LedgerService } from '@ttfd/economy';
import { IdentityService, LinkCodes } from '@ttfd/linking';
import { SyncAdminService } from '@ttfd/sync';
import { FakeDiscord } from '../fakes/discord';
import { waitFor } from '../support/test-app';
import { accountSettled, DiscordKit, startDiscordApp, xpOf } from './discord-test-kit';

describe('Discord roles', () => {
  let kit: DiscordKit;
  let fake: FakeDiscord;
  let identities: IdentityService;
  let ledger: LedgerService;
  let adjustments = 0;

  beforeAll(async () => {
    fake = await FakeDiscord.start();
    kit = {
      fake,
      // These tests run /sync back to back: its cooldown (link-privacy.e2e-spec.ts) is off here.
      ...(await startDiscordApp(fake, new ManualClock('2026-03-02T10:00:00Z'), {
        env: { DISCORD_SYNC_COOLDOWN_MS: '0' },
      })),
    };
    identities = kit.app.app.get(IdentityService);
    ledger = kit.app.app.get(LedgerService);
    // Rank 4 -> "Rank I", rank 5 -> "Rank II"; "Chatterbox" and "Admin" stay unmanaged.
    await kit.db.query(`UPDATE rank_role_mappings SET discord_role_id = $1 WHERE rank_id = 4`, [
      fake.guild.roles.rank1,
    ]);
    await kit.db.query(`UPDATE rank_role_mappings SET discord_role_id = $1 WHERE rank_id = 5`, [
      fake.guild.roles.rank2,
    ]);
  });

  afterAll(async () => {
    await kit?.app.close();
    await fake?.stop();
  });

  const calls = (userId: string, from = 0) =>
    fake
      .roleCalls()
      .slice(from)
      .filter((c) => c.userId === userId)
      .map((c) => ({ method: c.method, roleId: c.roleId }));

  async function setXp(discordUserId: string, xp: number): Promise<string> {
    const { accountId } = await identities.resolve('discord', discordUserId);
    const current = await xpOf(kit.db, discordUserId);
    await ledger.adjust({
      accountId,
      xp: xp - current,
      reason: 'admin_adjustment',
      source: 'admin',
      idempotencyKey: `admin:test-${++adjustments}`,
    });
    return accountId;
  }

  it('turns a crossing from rank 4 to 5 into exactly [DELETE rank-4 role, PUT rank-5 role]', async () => {
    const { alice } = fake.guild.users;
    const { rank1, rank2, achievement } = fake.guild.roles;
    fake.setMemberRoles(fake.guild.id, alice.id, [achievement]);

    const accountId = await setXp(alice.id, 4_750); // rank 4
    await fake.waitForRoleCall({ method: 'PUT', userId: alice.id, roleId: rank1 });
    await accountSettled(kit.db, accountId);

    let mark = fake.roleCalls().length;
    await setXp(alice.id, 7_690); // still rank 4: no role call
    await accountSettled(kit.db, accountId);
    expect(calls(alice.id, mark)).toEqual([]);

    mark = fake.roleCalls().length;
    // A Discord message (20 XP) crosses into rank 5.
    fake.sendMessage({ channelId: fake.guild.channels.text, author: alice, content: 'level up!' });
    await fake.waitForRoleCall({ method: 'PUT', userId: alice.id, roleId: rank2 });
    await accountSettled(kit.db, accountId);
    expect(calls(alice.id, mark)).toEqual([
      { method: 'DELETE', roleId: rank1 },
      { method: 'PUT', roleId: rank2 },
    ]);
    expect(fake.memberRoles(fake.guild.id, alice.id)?.sort()).toEqual([achievement, rank2].sort());
  });

  it('/sync restores a managed role removed by hand, and says so', async () => {
    const { alice } = fake.guild.users;
    const { rank2, achievement } = fake.guild.roles;
    fake.setMemberRoles(fake.guild.id, alice.id, [achievement]);
    const handle = fake.interaction({ kind: 'command', name: 'sync', userId: alice.id });
    const response = await handle.waitForResponse();
    expect(response.content).toContain('Rank II');
    expect(handle.replies()[0]).toMatchObject({ kind: 'callback', callbackType: 5 });
    expect(fake.memberRoles(fake.guild.id, alice.id)?.sort()).toEqual([achievement, rank2].sort());

    const again = fake.interaction({ kind: 'command', name: 'sync', userId: alice.id });
    expect((await again.waitForResponse()).content).toBe('Your roles are already up to date.');
  });

  it('waits out a 429 with retry-after and the role lands', async () => {
    const { alice } = fake.guild.users;
    const { rank2, achievement } = fake.guild.roles;
    fake.setMemberRoles(fake.guild.id, alice.id, [achievement]);
    const mark = fake.roleCalls({ includeFailed: true }).length;
    fake.failNext('PUT /guilds/:g/members/:u/roles/:r', { status: 429, retryAfterSeconds: 1 });
    const handle = fake.interaction({ kind: 'command', name: 'sync', userId: alice.id });
    await handle.waitForResponse(10_000);
    expect(fake.memberRoles(fake.guild.id, alice.id)).toContain(rank2);
    const attempts = fake
      .roleCalls({ includeFailed: true })
      .slice(mark)
      .filter((c) => c.userId === alice.id);
    expect(attempts.map((c) => [c.method, c.roleId, c.status])).toEqual([
      ['PUT', rank2, 429],
      ['PUT', rank2, 204],
    ]);
  });

  it('ends the event of a member who left without retrying, and restores roles on rejoin', async () => {
    const { bob } = fake.guild.users;
    const { rank1 } = fake.guild.roles;
    const accountId = await setXp(bob.id, 5_000);
    await fake.waitForRoleCall({ method: 'PUT', userId: bob.id, roleId: rank1 });
    await accountSettled(kit.db, accountId);

    fake.memberLeave(bob.id);
    const mark = fake.calls().length;
    const eventId = await kit.app.app.get(SyncAdminService).resyncAccount(accountId);
    await accountSettled(kit.db, accountId);
    const [event]: { status: string; attempts: number }[] = await kit.db.query(
      `SELECT status, attempts FROM sync_events WHERE id = $1`,
      [eventId],
    );
    expect(event).toEqual({ status: 'completed', attempts: 1 });
    const bobCalls = fake
      .calls()
      .slice(mark)
      .filter((c) => c.path.includes(`/members/${bob.id}`));
    expect(bobCalls.map((c) => `${c.method} ${c.status}`)).toEqual(['GET 404']);

    const before = fake.roleCalls().length;
    fake.memberJoin(bob);
    await waitFor(() => calls(bob.id, before).length > 0, { what: "bob's roles back" });
    await accountSettled(kit.db, accountId);
    expect(calls(bob.id, before)).toEqual([{ method: 'PUT', roleId: rank1 }]);
  });

  it('links with a Telegram code, then /unlink removes managed roles and leaves the others', async () => {
    const { alice } = fake.guild.users;
    const { rank2, achievement } = fake.guild.roles;
    const codes = kit.app.app.get(LinkCodes);
    await identities.resolve('telegram', '700000001', { username: 'alice_tg' });
    const { code } = await codes.issueCode('telegram', '700000001');

    const link = fake.interaction({
      kind: 'command',
      name: 'link',
      userId: alice.id,
      options: { code },
    });
    expect((await link.waitForResponse()).content).toContain('linked');
    const [linked]: { platform: string }[][] = [
      await kit.db.query(
        `SELECT i2.platform FROM identities i1 JOIN identities i2 ON i2.account_id = i1.account_id
          WHERE i1.platform = 'discord' AND i1.external_id = $1 ORDER BY i2.platform`,
        [alice.id],
      ),
    ];
    expect(linked.map((row) => row.platform)).toEqual(['discord', 'telegram']);
    expect(await xpOf(kit.db, alice.id)).toBe(7_710); // the Discord side's XP moved over

    const unlink = fake.interaction({ kind: 'command', name: 'unlink', userId: alice.id });
    expect((await unlink.waitForResponse()).components).toHaveLength(1);
    const mark = fake.roleCalls().length;
    const press = fake.interaction({
      kind: 'button',
      customId: `unlink/${alice.id}/yes`,
      userId: alice.id,
    });
    await press.waitForReply();
    await fake.waitForRoleCall({ method: 'DELETE', userId: alice.id, roleId: rank2 });
    const accountId = await identities.find('discord', alice.id);
    await accountSettled(kit.db, accountId!);
    expect(calls(alice.id, mark)).toEqual([{ method: 'DELETE', roleId: rank2 }]);
    expect(fake.memberRoles(fake.guild.id, alice.id)).toEqual([achievement]);
  });

  it('never sent a member PATCH nor touched an unmanaged role', () => {
    const { achievement, admin } = fake.guild.roles;
    const all = fake.roleCalls({ includeFailed: true });
    expect(all.filter((c) => c.method === 'PATCH')).toEqual([]);
    expect(all.filter((c) => c.roleId === achievement || c.roleId === admin)).toEqual([]);
    expect(fake.problems()).toEqual([]);
  });
});
