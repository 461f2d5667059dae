/**
 * XP rules on Discord through the real discord.js against the fake: rules set over the admin
 * API while the bot runs (no restart) shape message XP by channel, role and event window, a
 * voice minute uses the rule in force when it completed, and every ledger row says which rule
 * applied. Then /settings toggles, and /top shows a hidden player as "Hidden player".
 */
import { MessageFlags } from 'discord.js';
import { DataSource } from 'typeorm';
import { ManualClock } from '@ttfd/clock';
import { SeasonsService } from '@ttfd/economy';
import { http } from '../api/api-client';
import { FakeDiscord, type FakeUser } from '../fakes/discord';
import { TEST_ADMIN_TOKEN, waitFor } from '../support/test-app';
import { accountOf, DiscordKit, MESSAGE_XP, startDiscordApp } from './discord-test-kit';

const MINUTE = 60_000;
const RATE = 10;

async function rows(db: DataSource, userId: string, reason: string) {
  const found: { xp_delta: string; metadata: Record<string, unknown> | null }[] = await db.query(
    `SELECT l.xp_delta, l.metadata FROM ledger_entries l
       JOIN identities i ON i.account_id = l.account_id
      WHERE i.platform = 'discord' AND i.external_id = $1 AND l.reason = $2 ORDER BY l.id`,
    [userId, reason],
  );
  return found.map((row) => ({ xp: Number(row.xp_delta), metadata: row.metadata }));
}

describe('XP rules on Discord', () => {
  let kit: DiscordKit;
  let fake: FakeDiscord;
  let sent = 0;

  beforeAll(async () => {
    fake = await FakeDiscord.start();
    // 13:00 in Moscow.
    const clock = new ManualClock('2026-03-02T10:00:00Z');
    kit = { fake, ...(await startDiscordApp(fake, clock)) };
  });

  afterAll(async () => {
    await kit?.app.close();
    await fake?.stop();
  });

  async function admin(method: string, path: string, body?: unknown) {
    const answer = await http(kit.app.url, method, `/admin/xp-rules${path}`, {
      token: TEST_ADMIN_TOKEN,
      body,
    });
    expect(answer.status).toBe(method === 'POST' ? 201 : 200);
    return answer.body;
  }

  function member(name: string, roles: string[] = []): FakeUser {
    const user = fake.createUser(name);
    fake.memberJoin(user, { roles });
    return user;
  }

  /**
   * A message, then the wait for its handling. Handlers run concurrently, so a later event
   * being done proves nothing: a paid message is awaited by its own ledger row; one that must
   * earn nothing by a canary sent after it (skipped messages return before any query, so the
   * canary, which does the full award, cannot pass them).
   */
  async function say(user: FakeUser, text: string, paid = true): Promise<void> {
    sent += 1;
    const before = (await rows(kit.db, user.id, 'discord_message')).length;
    fake.sendMessage({
      channelId: fake.guild.channels.text,
      author: user,
      content: `${text} ${sent}`,
    });
    if (paid) {
      await waitFor(
        async () => (await rows(kit.db, user.id, 'discord_message')).length === before + 1,
        { what: `${user.username}'s message to be paid` },
      );
      return;
    }
    const canary = member(`canary${sent}`);
    fake.sendMessage({
      channelId: fake.guild.channels.text,
      author: canary,
      content: `canary says ${sent}`,
    });
    await waitFor(async () => (await rows(kit.db, canary.id, 'discord_message')).length === 1, {
      what: 'the canary to be paid',
    });
  }

  it('applies channel x best role multipliers, and a no-XP role, set over the API while running', async () => {
    const booster = fake.addRole(fake.guild.id, { name: 'Booster' }).id;
    const vip = fake.addRole(fake.guild.id, { name: 'VIP' }).id;
    const muted = fake.addRole(fake.guild.id, { name: 'Muted' }).id;
    const plain = member('plain');
    await say(plain, 'before any rule');
    expect(await rows(kit.db, plain.id, 'discord_message')).toEqual([
      { xp: MESSAGE_XP, metadata: expect.objectContaining({ base: MESSAGE_XP, multiplier: 1 }) },
    ]);

    await admin('PUT', '/multipliers', {
      kind: 'channel',
      targetId: fake.guild.channels.text,
      multiplier: 2,
    });
    await admin('PUT', '/multipliers', { kind: 'role', targetId: booster, multiplier: 1.25 });
    await admin('PUT', '/multipliers', { kind: 'role', targetId: vip, multiplier: 1.5 });
    await admin('PUT', '/multipliers', { kind: 'role', targetId: muted, multiplier: 0 });

    const boosted = member('boosted', [booster, vip]);
    const silenced = member('silenced', [vip, muted]);
    await say(boosted, 'with two boosting roles');
    await say(silenced, 'muted but also vip', false);
    expect(await rows(kit.db, boosted.id, 'discord_message')).toEqual([
      {
        xp: MESSAGE_XP * 2 * 1.5,
        metadata: expect.objectContaining({
          base: MESSAGE_XP,
          multiplier: 3,
          channel: { id: fake.guild.channels.text, multiplier: 2, from: 'rule' },
          role: { id: vip, multiplier: 1.5 },
        }),
      },
    ]);
    expect(await accountOf(kit.db, silenced.id)).toBeNull();
  });

  it('doubles messages only inside an event window given in the community zone', async () => {
    await admin('POST', '/events', {
      name: 'Happy hour',
      multiplier: 2,
      sources: ['discord_message'],
      startsAt: '2026-03-02T13:30', // Moscow: 10:30Z
      endsAt: '2026-03-02T14:30',
    });
    const early = member('early');
    await say(early, 'before the window');
    kit.clock.advance(31 * MINUTE);
    const late = member('late');
    await say(late, 'inside the window');
    expect((await rows(kit.db, early.id, 'discord_message'))[0].xp).toBe(MESSAGE_XP * 2);
    expect(await rows(kit.db, late.id, 'discord_message')).toEqual([
      {
        xp: MESSAGE_XP * 2 * 2,
        metadata: expect.objectContaining({
          event: expect.objectContaining({ name: 'Happy hour', multiplier: 2 }),
        }),
      },
    ]);
  });

  it('pays each voice minute under the rule in force when it completed', async () => {
    const start = kit.clock.nowMs();
    // A voice event that starts 150 s from now: minutes ending at 60 s and 120 s are plain,
    // the one ending at 180 s is doubled.
    await admin('POST', '/events', {
      name: 'Voice night',
      multiplier: 2,
      sources: ['discord_voice'],
      startsAt: new Date(start + 150_000).toISOString(),
      endsAt: new Date(start + 3_600_000).toISOString(),
    });
    const ann = member('ann');
    const ben = member('ben');
    for (const user of [ann, ben]) {
      fake.voiceStateUpdate(user.id, { channelId: fake.guild.channels.voiceA });
      await waitFor(() => kit.tracker.hasSession(user.id), { what: 'the voice session' });
    }
    await kit.tracker.idle();
    kit.clock.advance(90_000);
    await kit.tracker.checkpoint();
    kit.clock.advance(100_000); // 190 s: three whole minutes, one checkpoint for the last two
    await kit.tracker.checkpoint();
    const paid = await rows(kit.db, ann.id, 'discord_voice');
    expect(paid.map((row) => row.xp)).toEqual([RATE, RATE, RATE * 2]);
    expect(paid[2].metadata).toMatchObject({
      source: 'discord_voice',
      base: RATE,
      event: { name: 'Voice night', multiplier: 2 },
    });
    expect(paid[1].metadata).not.toHaveProperty('event');
    for (const user of [ann, ben]) fake.voiceStateUpdate(user.id, { channelId: null });
  });

  it('/settings toggles DMs and leaderboard visibility; /top then shows "Hidden player"', async () => {
    await kit.app.app.get(SeasonsService).ensureOpen();
    const { alice } = fake.guild.users;
    const shown = fake.interaction({ kind: 'command', name: 'settings', userId: alice.id });
    const response = await shown.waitForResponse();
    expect(response.flags! & MessageFlags.Ephemeral).toBeTruthy();
    expect(response.content).toContain('Direct messages: on');
    expect(response.components).toHaveLength(1);

    const stranger = fake.interaction({
      kind: 'button',
      customId: `settings/${alice.id}/top`,
      userId: fake.guild.users.bob.id,
    });
    await stranger.waitForReply();
    const top = fake.interaction({
      kind: 'button',
      customId: `settings/${alice.id}/top`,
      userId: alice.id,
    });
    const updated = await top.waitForReply((reply) => reply.callbackType === 7);
    expect(JSON.stringify(updated.data)).toContain('Hidden player');
    const dm = fake.interaction({
      kind: 'button',
      customId: `settings/${alice.id}/dm`,
      userId: alice.id,
    });
    await dm.waitForReply((reply) => reply.callbackType === 7);
    const accountId = await accountOf(kit.db, alice.id);
    expect(
      await kit.db.query(`SELECT dm_opt_out, leaderboard_hidden FROM accounts WHERE id = $1`, [
        accountId,
      ]),
    ).toEqual([{ dm_opt_out: true, leaderboard_hidden: true }]);

    // Alice earns enough to lead the season: her place shows, her name does not.
    kit.clock.advance(2 * MINUTE);
    fake.sendMessage({
      channelId: fake.guild.channels.text,
      author: alice,
      content: 'alice takes the lead now',
    });
    await waitFor(async () => (await rows(kit.db, alice.id, 'discord_message')).length === 1);
    await kit.db.query(`UPDATE season_scores SET xp = xp + 100000 WHERE account_id = $1`, [
      accountId,
    ]);
    const board = fake.interaction({ kind: 'command', name: 'top', userId: alice.id });
    const description = (await board.waitForResponse()).embeds[0]?.description ?? '';
    expect(description).toMatch(/^1\. Hidden player: \d+ XP/);
    expect(description).not.toContain('alice');
    expect(fake.problems()).toEqual([]);
  });
});
