/**
 * Discord's budget, counted at the fake: a rank-up costs 3 calls with a DM (DELETE the old rank
 * role, PUT the new one, POST the message) and 2 without, because the member's roles come from
 * the stored applied state and the DM channel id from a cache. A DM is created once even when
 * the answer to it is lost and it is sent again (`nonce` with `enforce_nonce`), and a retry of
 * an event whose Telegram message failed does not send the Discord DM again.
 */
import { ManualClock } from '@ttfd/clock';
import { LedgerService, rankThreshold } from '@ttfd/economy';
import { IdentityService } from '@ttfd/linking';
import { NotifierRegistry } from '@ttfd/sync';
import { RecordingNotifier } from '@ttfd/sync/testing';
import { FakeDiscord } from '../fakes/discord';
import type { RestCall } from '../fakes/discord/types';
import { accountSettled, DiscordKit, startDiscordApp, xpOf } from './discord-test-kit';

describe('Discord budget per rank-up', () => {
  let kit: DiscordKit;
  let fake: FakeDiscord;
  let identities: IdentityService;
  let ledger: LedgerService;
  let adjustments = 0;
  /** Rank id -> the guild role mapped to it (ranks 2 to 6). */
  const roleOfRank = new Map<number, string>();

  beforeAll(async () => {
    fake = await FakeDiscord.start();
    kit = {
      fake,
      ...(await startDiscordApp(fake, new ManualClock('2026-03-02T10:00:00Z'), {
        env: { SYNC_BACKOFF_BASE_MS: '0', SYNC_BACKOFF_MAX_MS: '0' },
      })),
    };
    identities = kit.app.app.get(IdentityService);
    ledger = kit.app.app.get(LedgerService);
    for (const rank of [2, 3, 4, 5, 6]) {
      const role = fake.addRole(fake.guild.id, { name: `Rank ${rank}` });
      roleOfRank.set(rank, role.id);
      await kit.db.query(`UPDATE rank_role_mappings SET discord_role_id = $1 WHERE rank_id = $2`, [
        role.id,
        rank,
      ]);
    }
  });

  afterAll(async () => {
    await kit?.app.close();
    await fake?.stop();
  });

  async function toRank(discordUserId: string, rank: number): Promise<string> {
    const { accountId } = await identities.resolve('discord', discordUserId);
    const current = await xpOf(kit.db, discordUserId);
    await ledger.adjust({
      accountId,
      xp: rankThreshold(rank) - current,
      reason: 'admin_adjustment',
      source: 'admin',
      idempotencyKey: `admin:budget-${++adjustments}`,
    });
    await accountSettled(kit.db, accountId);
    return accountId;
  }

  /** The member's calls since `from`: member reads, role changes, DM channel opens, DMs. */
  const memberCalls = (userId: string, from: number): string[] =>
    fake
      .calls()
      .slice(from)
      .filter((call: RestCall) => concerns(call, userId))
      .map((call) => `${call.method} ${call.path.replace(/\d{17,20}/g, ':id')}`);

  const concerns = (call: RestCall, userId: string): boolean => {
    if (call.path.includes(`/members/${userId}`)) return true;
    if (call.path === '/users/@me/channels')
      return (call.body as { recipient_id?: string }).recipient_id === userId;
    const dmChannel = fake.dmChannelOf(userId);
    return dmChannel !== undefined && call.path === `/channels/${dmChannel}/messages`;
  };

  it('costs 3 Discord calls with a DM and 2 without, once the member was seen', async () => {
    const { alice } = fake.guild.users;
    await toRank(alice.id, 2); // first contact: the member is read and the DM channel opened

    let mark = fake.calls().length;
    const accountId = await toRank(alice.id, 3);
    expect(memberCalls(alice.id, mark)).toEqual([
      'DELETE /guilds/:id/members/:id/roles/:id',
      'PUT /guilds/:id/members/:id/roles/:id',
      'POST /channels/:id/messages',
    ]);
    expect(fake.memberRoles(fake.guild.id, alice.id)).toContain(roleOfRank.get(3));

    await kit.db.query(`UPDATE accounts SET dm_opt_out = true WHERE id = $1`, [accountId]);
    mark = fake.calls().length;
    await toRank(alice.id, 4);
    expect(memberCalls(alice.id, mark)).toEqual([
      'DELETE /guilds/:id/members/:id/roles/:id',
      'PUT /guilds/:id/members/:id/roles/:id',
    ]);
    expect(fake.memberRoles(fake.guild.id, alice.id)).toContain(roleOfRank.get(4));
    expect(fake.memberRoles(fake.guild.id, alice.id)).not.toContain(roleOfRank.get(3));
  });

  it('creates a rank-up DM once when its answer is lost and the send is retried', async () => {
    const { bob } = fake.guild.users;
    await toRank(bob.id, 2);
    const before = fake.dms(bob.id).length;
    // Discord creates the message, the answer is lost (500), discord.js sends it again.
    fake.failNext('POST /channels/:channelId/messages', { status: 500, afterApplying: true }, 1);
    await toRank(bob.id, 3);
    const sends = fake
      .calls()
      .filter((call) => call.path === `/channels/${fake.dmChannelOf(bob.id)}/messages`);
    expect(sends.length).toBeGreaterThanOrEqual(2);
    expect(sends.every((call) => (call.body as { enforce_nonce?: boolean }).enforce_nonce)).toBe(
      true,
    );
    expect(fake.dms(bob.id).slice(before)).toHaveLength(1);
  });

  it('does not send the Discord DM again when the Telegram message of the event fails', async () => {
    const carol = fake.memberJoin(fake.createUser('carol'));
    const accountId = await toRank(carol.id, 2);
    await kit.db.query(
      `INSERT INTO identities (account_id, platform, external_id) VALUES ($1, 'telegram', '777001')`,
      [accountId],
    );
    const telegram = new RecordingNotifier('telegram');
    kit.app.app.get(NotifierRegistry).register(telegram);
    try {
      telegram.failNext(1);
      const before = fake.dms(carol.id).length;
      await toRank(carol.id, 3);
      const rows: { lane: string; attempts: number }[] = await kit.db.query(
        `WITH parent AS (SELECT id FROM sync_events WHERE account_id = $1 AND type = 'rank.changed'
                          ORDER BY id DESC LIMIT 1)
         SELECT lane, attempts FROM sync_events
          WHERE id = (SELECT id FROM parent) OR payload->>'parentId' = (SELECT id::text FROM parent)
          ORDER BY lane`,
        [accountId],
      );
      // The Telegram message retried in its own lane; the role row and the Discord DM ran once.
      expect(rows).toEqual([
        { lane: 'dm:discord', attempts: 1 },
        { lane: 'dm:telegram', attempts: 2 },
        { lane: 'roles', attempts: 1 },
      ]);
      expect(telegram.to('777001')).toHaveLength(1);
      expect(fake.dms(carol.id).slice(before)).toHaveLength(1);
    } finally {
      kit.app.app.get(NotifierRegistry).unregister('telegram');
    }
  });
});
