/**
 * Voice XP (flow 7) through the real discord.js against the fake Discord: whole minutes while
 * earning, checked by moving the injected clock and running the checkpoint; a restart keeps
 * what was checkpointed and never pays the downtime.
 */
import { ManualClock } from '@ttfd/clock';
import { FakeDiscord, type FakeUser } from '../fakes/discord';
import { waitFor } from '../support/test-app';
import { DiscordKit, ledgerRows, startDiscordApp } from './discord-test-kit';

const MINUTE = 60_000;
const RATE = 10; // DISCORD_VOICE_XP_PER_MINUTE default

describe('Discord voice XP', () => {
  let kit: DiscordKit;
  let fake: FakeDiscord;

  beforeAll(async () => {
    fake = await FakeDiscord.start();
    const clock = new ManualClock('2026-03-02T10:00:00Z');
    kit = { fake, ...(await startDiscordApp(fake, clock, { redisPrefix: undefined })) };
  });

  afterAll(async () => {
    await kit?.app.close();
    await fake?.stop();
  });

  const voiceMinutes = async (user: FakeUser) =>
    (await ledgerRows(kit.db, user.id, 'discord_voice')).length;

  function newMember(name: string): FakeUser {
    const user = fake.createUser(name);
    fake.memberJoin(user);
    return user;
  }

  /** Applies a voice change and waits until the tracker has it. */
  async function voice(
    user: FakeUser,
    patch: Parameters<FakeDiscord['voiceStateUpdate']>[1],
    expect: { session: boolean },
  ): Promise<void> {
    fake.voiceStateUpdate(user.id, patch);
    await waitFor(() => kit.tracker.hasSession(user.id) === expect.session, {
      what: `${user.username}'s voice change`,
    });
    await kit.tracker.idle();
  }

  async function tick(ms: number): Promise<void> {
    kit.clock.advance(ms);
    await kit.tracker.checkpoint();
  }

  it('pays 3 minutes for 3 minutes with a second member, and moving keeps the count', async () => {
    const { alice, bob } = fake.guild.users;
    const { voiceA, voiceB } = fake.guild.channels;
    await voice(alice, { channelId: voiceA }, { session: true });
    await voice(bob, { channelId: voiceA }, { session: true });
    expect(kit.tracker.isEarning(alice.id)).toBe(true);

    await tick(90_000); // 1.5 min: one whole minute
    expect(await voiceMinutes(alice)).toBe(1);
    await voice(alice, { channelId: voiceB }, { session: true });
    await voice(bob, { channelId: voiceB }, { session: true });
    kit.clock.advance(90_000); // 3 min together in all
    await voice(alice, { channelId: null }, { session: false });
    await voice(bob, { channelId: null }, { session: false });

    for (const user of [alice, bob]) {
      const rows = await ledgerRows(kit.db, user.id, 'discord_voice');
      expect(rows.map((row) => row.xp)).toEqual([RATE, RATE, RATE]);
      expect(rows.map((row) => row.key.split(':')[2])).toEqual(['0', '1', '2']);
    }
    const sessions: { status: string; credited_minutes: number }[] = await kit.db.query(
      `SELECT status, credited_minutes FROM voice_sessions WHERE discord_user_id = $1`,
      [alice.id],
    );
    expect(sessions).toEqual([{ status: 'closed', credited_minutes: 3 }]);
  });

  it('pays nothing alone, alone with a bot, deafened, or in the AFK channel', async () => {
    const { voiceA, voiceB, afk } = fake.guild.channels;
    const loner = newMember('loner');
    const musicBot = fake.createUser('music', { bot: true });
    fake.memberJoin(musicBot);
    const deaf = newMember('deaf');
    const listener = newMember('listener');
    const afk1 = newMember('afk1');
    const afk2 = newMember('afk2');

    await voice(loner, { channelId: voiceA }, { session: true });
    fake.voiceStateUpdate(musicBot.id, { channelId: voiceA });
    await voice(deaf, { channelId: voiceB, selfDeaf: true }, { session: true });
    await voice(listener, { channelId: voiceB }, { session: true });
    await voice(afk1, { channelId: afk }, { session: true });
    await voice(afk2, { channelId: afk }, { session: true });

    await tick(3 * MINUTE);
    expect(await voiceMinutes(loner)).toBe(0);
    expect(await voiceMinutes(deaf)).toBe(0);
    expect(await voiceMinutes(afk1)).toBe(0);
    expect(await voiceMinutes(afk2)).toBe(0);
    // The deafened member is still company: the other one earns.
    expect(await voiceMinutes(listener)).toBe(3);
    expect(kit.tracker.isEarning(loner.id)).toBe(false);

    for (const user of [loner, deaf, listener, afk1, afk2]) {
      await voice(user, { channelId: null }, { session: false });
    }
    fake.voiceStateUpdate(musicBot.id, { channelId: null });
  });

  it('keeps checkpointed minutes over a restart and never pays the downtime', async () => {
    const { alice, bob } = fake.guild.users;
    const { voiceA } = fake.guild.channels;
    const before = { alice: await voiceMinutes(alice), bob: await voiceMinutes(bob) };
    await voice(alice, { channelId: voiceA }, { session: true });
    await voice(bob, { channelId: voiceA }, { session: true });
    await tick(2 * MINUTE + 30_000);
    expect(await voiceMinutes(alice)).toBe(before.alice + 2);

    const { database, redisPrefix } = kit.app;
    await kit.app.close({ keepData: true });
    kit.clock.advance(10 * MINUTE); // the app is down; both stay in voice on Discord
    kit = {
      fake,
      ...(await startDiscordApp(fake, kit.clock, { existingDatabase: database, redisPrefix })),
    };
    // Rebuilt from GUILD_CREATE's voice states, earning from now.
    expect(kit.tracker.isEarning(alice.id)).toBe(true);
    await tick(MINUTE);
    expect(await voiceMinutes(alice)).toBe(before.alice + 3);
    expect(await voiceMinutes(bob)).toBe(before.bob + 3);

    const sessions: { status: string; credited_minutes: number }[] = await kit.db.query(
      `SELECT status, credited_minutes FROM voice_sessions
        WHERE discord_user_id = $1 ORDER BY id DESC LIMIT 2`,
      [alice.id],
    );
    expect(sessions).toEqual([
      { status: 'open', credited_minutes: 1 },
      { status: 'closed', credited_minutes: 2 },
    ]);
    expect(fake.problems()).toEqual([]);
  });
});
