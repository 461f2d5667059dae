/**
 * Message XP through the real discord.js (necord) against the fake Discord: the cooldown is
 * measured with the injected clock, a message pays once under its id, bots and spam pay nothing.
 */
import { Redis } from 'ioredis';
import { ManualClock } from '@ttfd/clock';
import { REDIS } from '@ttfd/database';
import { FakeDiscord } from '../fakes/discord';
import { waitFor } from '../support/test-app';
import { DiscordKit, ledgerRows, MESSAGE_XP, startDiscordApp, xpOf } from './discord-test-kit';

describe('Discord message XP', () => {
  let kit: DiscordKit;
  const seen = new Set<string>();

  beforeAll(async () => {
    const fake = await FakeDiscord.start();
    const clock = new ManualClock('2026-03-02T10:00:00Z');
    kit = { fake, ...(await startDiscordApp(fake, clock)) };
  });

  afterAll(async () => {
    await kit?.app.close();
    await kit?.fake.stop();
  });

  /** Sends a message and waits until the bot has received it (a message XP ledger row, or not). */
  async function send(author: { id: string; username: string; bot?: boolean }, content: string) {
    const message = kit.fake.sendMessage({
      channelId: kit.fake.guild.channels.text,
      author,
      content,
    });
    seen.add(message.id);
    return message;
  }

  /**
   * A canary from another member, paid: handlers run concurrently, so this settles messages
   * that are refused before any query (filter, cooldown, repeat), not a slower award.
   */
  async function settle(): Promise<void> {
    const canary = kit.fake.createUser(`canary${seen.size}`);
    kit.fake.memberJoin(canary);
    const message = await send(canary, `canary message ${seen.size}`);
    await waitFor(
      async () =>
        (await ledgerRows(kit.db, canary.id, 'discord_message')).some(
          (row) => row.key === `discord:msg:${message.id}`,
        ),
      { what: 'the canary message to pay' },
    );
  }

  it('pays two messages 30 s apart once, and 61 s apart twice', async () => {
    const { alice } = kit.fake.guild.users;
    const first = await send(alice, 'hello everyone');
    await waitFor(
      async () => (await ledgerRows(kit.db, alice.id, 'discord_message')).length === 1,
      {
        what: 'the first message to pay',
      },
    );

    kit.clock.advance(30_000);
    await send(alice, 'second thing to say');
    await settle();
    expect(await ledgerRows(kit.db, alice.id, 'discord_message')).toEqual([
      { xp: MESSAGE_XP, key: `discord:msg:${first.id}` },
    ]);

    kit.clock.advance(31_000); // 61 s after the paid one: the cooldown is over
    const third = await send(alice, 'third thing to say');
    await waitFor(
      async () => (await ledgerRows(kit.db, alice.id, 'discord_message')).length === 2,
      {
        what: 'the third message to pay',
      },
    );
    expect((await ledgerRows(kit.db, alice.id, 'discord_message'))[1].key).toBe(
      `discord:msg:${third.id}`,
    );
    expect(await xpOf(kit.db, alice.id)).toBe(2 * MESSAGE_XP);
  });

  it("pays nothing for a bot's message or a webhook's", async () => {
    const musicBot = kit.fake.createUser('musicbot', { bot: true });
    kit.fake.memberJoin(musicBot);
    await send(musicBot, 'Now playing: something long enough');
    kit.fake.sendMessage({
      channelId: kit.fake.guild.channels.text,
      author: kit.fake.createUser('Captain Hook', { bot: true }),
      content: 'webhook says hello',
      webhookId: kit.fake.ids.next(),
    });
    await settle();
    const bots: unknown[] = await kit.db.query(
      `SELECT 1 FROM identities WHERE platform = 'discord' AND external_id = $1`,
      [musicBot.id],
    );
    expect(bots).toEqual([]);
  });

  it('pays nothing for very short or repeated text, even after the cooldown', async () => {
    const { bob } = kit.fake.guild.users;
    await send(bob, 'gg wp all');
    await waitFor(async () => (await ledgerRows(kit.db, bob.id, 'discord_message')).length === 1);
    kit.clock.advance(61_000);
    await send(bob, '  GG   wp ALL '); // the same text, normalized
    kit.clock.advance(61_000);
    await send(bob, 'ok');
    await settle();
    expect(await ledgerRows(kit.db, bob.id, 'discord_message')).toHaveLength(1);
  });

  it('never pays a redelivered message twice', async () => {
    const { bob } = kit.fake.guild.users;
    kit.clock.advance(61_000);
    const message = await send(bob, 'something new to say');
    await waitFor(async () => (await ledgerRows(kit.db, bob.id, 'discord_message')).length === 2);
    expect(
      (await ledgerRows(kit.db, bob.id, 'discord_message')).filter(
        (row) => row.key === `discord:msg:${message.id}`,
      ),
    ).toHaveLength(1);
    expect(kit.fake.problems()).toEqual([]);
  });

  it('gives the cooldown back when the award fails, so the next message pays', async () => {
    const carol = kit.fake.createUser('carol');
    kit.fake.memberJoin(carol);
    kit.clock.advance(61_000);
    // A real database failure for carol's next award (her account exists after a first try).
    await send(carol, 'a first message to make an account');
    await waitFor(async () => (await ledgerRows(kit.db, carol.id, 'discord_message')).length === 1);
    kit.clock.advance(61_000);
    await kit.db.query(`
      CREATE FUNCTION test_fail_message() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'injected failure'; END $$`);
    await kit.db.query(`CREATE TRIGGER test_fail_message BEFORE INSERT ON ledger_entries
                        FOR EACH ROW WHEN (NEW.entity_id IS NOT NULL AND NEW.reason = 'discord_message'
                                           AND NEW.account_id = ${await accountId(carol.id)})
                        EXECUTE FUNCTION test_fail_message()`);
    try {
      await send(carol, 'this one fails to pay');
      // Given back means her cooldown key is gone (it held the first message's time until
      // this one reserved it); the failure is in the award, after the query a canary waits on.
      const redis = kit.app.app.get<Redis>(REDIS);
      await waitFor(async () => (await redis.exists(`discord:msgxp:paid:${carol.id}`)) === 0, {
        what: "the failed award's cooldown to be given back",
      });
    } finally {
      await kit.db.query(`DROP TRIGGER test_fail_message ON ledger_entries`);
      await kit.db.query(`DROP FUNCTION test_fail_message()`);
    }
    expect(await ledgerRows(kit.db, carol.id, 'discord_message')).toHaveLength(1);
    // Ten seconds later, inside the cooldown of the failed one: it was given back, so this pays.
    kit.clock.advance(10_000);
    const next = await send(carol, 'this one pays');
    await waitFor(
      async () => (await ledgerRows(kit.db, carol.id, 'discord_message')).length === 2,
      {
        what: 'the message after a failed award to pay',
      },
    );
    expect((await ledgerRows(kit.db, carol.id, 'discord_message'))[1].key).toBe(
      `discord:msg:${next.id}`,
    );
  });

  async function accountId(discordUserId: string): Promise<string> {
    const rows: { account_id: string }[] = await kit.db.query(
      `SELECT account_id FROM identities WHERE platform = 'discord' AND external_id = $1`,
      [discordUserId],
    );
    return String(rows[0].account_id);
  }
});
