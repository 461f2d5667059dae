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

  it('two trackers overlapping in a deploy credit each minute once', async () => {
    const { alice, bob } = fake.guild.users;
    const { voiceA } = fake.guild.channels;
    await voice(alice, { channelId: voiceA }, { session: true });
    await voice(bob, { channelId: voiceA }, { session: true });
    const before = await voiceMinutes(alice);
    await tick(MINUTE);
    expect(await voiceMinutes(alice)).toBe(before + 1);

    // The new process starts while the old one still runs, on the same database.
    const old = kit;
    const { database, redisPrefix } = kit.app;
    const fresh = await startDiscordApp(fake, kit.clock, {
      existingDatabase: database,
      redisPrefix,
    });
    kit.clock.advance(3 * MINUTE);
    await old.tracker.checkpoint();
    await fresh.tracker.checkpoint();
    await old.tracker.checkpoint();
    // 1 before the overlap + 3 during it, whoever credits them; never 7.
    expect(await voiceMinutes(alice)).toBe(before + 4);
    expect(await voiceMinutes(bob)).toBe(before + 4);
    expect(old.tracker.hasSession(alice.id)).toBe(false);

    await old.app.close({ keepData: true });
    kit = { fake, ...fresh };
    await voice(alice, { channelId: null }, { session: false });
    await voice(bob, { channelId: null }, { session: false });
    const open: { n: number }[] = await kit.db.query(
      `SELECT count(*)::int AS n FROM voice_sessions WHERE status = 'open'`,
    );
    expect(open).toEqual([{ n: 0 }]);
  });

  it('after a re-identify, ends the session of a member who left while the gateway was down', async () => {
    const { voiceB } = fake.guild.channels;
    const stays = newMember('stays');
    const leaves = newMember('leaves');
    await voice(stays, { channelId: voiceB }, { session: true });
    await voice(leaves, { channelId: voiceB }, { session: true });
    await tick(MINUTE);
    expect(await voiceMinutes(leaves)).toBe(1);

    // Discord forgets the session (op 9): the leave is never dispatched to us, only the next
    // GUILD_CREATE shows it.
    fake.invalidateSessions();
    fake.voiceStateUpdate(leaves.id, { channelId: null });
    await waitFor(() => !kit.tracker.hasSession(leaves.id), {
      what: 'the tracker to reconcile after the re-identify',
      timeoutMs: 20_000,
    });
    await kit.tracker.idle();
    await tick(5 * MINUTE);
    expect(await voiceMinutes(leaves)).toBe(1);
    expect(kit.tracker.hasSession(stays.id)).toBe(true);
    expect(kit.tracker.isEarning(stays.id)).toBe(false); // alone now
    const rows: { status: string }[] = await kit.db.query(
      `SELECT v.status FROM voice_sessions v WHERE v.discord_user_id = $1`,
      [leaves.id],
    );
    expect(rows).toEqual([{ status: 'closed' }]);
    await voice(stays, { channelId: null }, { session: false });
  });

  it('one failing session does not stop the others, and a failed credit on leave is retried', async () => {
    const { voiceA } = fake.guild.channels;
    const failing = newMember('failing');
    const others = [newMember('other1'), newMember('other2')];
    await voice(failing, { channelId: voiceA }, { session: true });
    for (const user of others) await voice(user, { channelId: voiceA }, { session: true });
    const [{ session_id: failingSession }]: { session_id: string }[] = await kit.db.query(
      `SELECT id AS session_id FROM voice_sessions WHERE discord_user_id = $1 AND status = 'open'`,
      [failing.id],
    );
    // A real database failure for that one session's ledger rows.
    await kit.db.query(`
      CREATE FUNCTION test_fail_voice() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.entity_id = '${failingSession}' THEN RAISE EXCEPTION 'injected failure'; END IF;
        RETURN NEW;
      END $$`);
    await kit.db.query(`CREATE TRIGGER test_fail_voice BEFORE INSERT ON ledger_entries
                        FOR EACH ROW EXECUTE FUNCTION test_fail_voice()`);
    try {
      await tick(2 * MINUTE);
      expect(await voiceMinutes(failing)).toBe(0);
      for (const user of others) expect(await voiceMinutes(user)).toBe(2);
      kit.clock.advance(MINUTE);
      await voice(failing, { channelId: null }, { session: false });
      expect(await voiceMinutes(failing)).toBe(0);
    } finally {
      await kit.db.query(`DROP TRIGGER test_fail_voice ON ledger_entries`);
      await kit.db.query(`DROP FUNCTION test_fail_voice()`);
    }
    // The next tick lands the leave's credit: 3 minutes, up to when they left, not later.
    await tick(MINUTE);
    expect(await voiceMinutes(failing)).toBe(3);
    const rows: { status: string; credited_minutes: number }[] = await kit.db.query(
      `SELECT status, credited_minutes FROM voice_sessions WHERE id = $1`,
      [failingSession],
    );
    expect(rows).toEqual([{ status: 'closed', credited_minutes: 3 }]);
    for (const user of others) await voice(user, { channelId: null }, { session: false });
  });
});
