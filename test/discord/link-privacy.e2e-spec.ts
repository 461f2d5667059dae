/**
 * Link codes are secrets: shown only where their owner alone sees them (a private chat, an
 * ephemeral reply), shown as ABCD-EFGH, accepted in any case with or without the hyphen. A code
 * typed in a group is burned and its owner told in private. Discord commands are limited per
 * member, `/sync` to once per 30 s. Both bots, each against its fake, in one app.
 */
import { MessageFlags } from 'discord.js';
import { DataSource } from 'typeorm';
import { ManualClock } from '@ttfd/clock';
import { FakeDiscord } from '../fakes/discord';
import { FakeTelegram, type FakeUser as TelegramUser } from '../fakes/telegram';
import { startTestApp, TestApp, waitFor } from '../support/test-app';
import { discordEnv } from './discord-test-kit';

const ann: TelegramUser = { id: 8201, first_name: 'Ann', language_code: 'en' };
const cid: TelegramUser = { id: 8202, first_name: 'Cid', language_code: 'en' };
const group = { id: -100820, type: 'supergroup' as const, title: 'Community' };
const CODE_SHAPE = /^[A-Z2-9]{4}-[A-Z2-9]{4}$/;

describe('Link codes are private; Discord commands are limited per member', () => {
  let discord: FakeDiscord;
  let telegram: FakeTelegram;
  let app: TestApp;
  const clock = new ManualClock('2026-03-02T10:00:00Z');

  const db = () => app.app.get(DataSource);
  const liveCodes = async (platform: string, externalId: string) => {
    const rows: { n: string }[] = await db().query(
      `SELECT count(*) AS n FROM link_codes c JOIN identities i ON i.account_id = c.account_id
        WHERE i.platform = $1 AND i.external_id = $2 AND c.consumed_at IS NULL AND c.expires_at > $3`,
      [platform, externalId, clock.now()],
    );
    return Number(rows[0].n);
  };
  /** Says `text` in `chatId` (the user's private chat unless a group) and waits for a reply. */
  const say = async (user: TelegramUser, text: string, match: RegExp, chatId = user.id) => {
    const count = telegram.messages(chatId).length;
    telegram.sendText(user, text, chatId === user.id ? {} : { chat: group });
    return waitFor(
      () =>
        telegram
          .messages(chatId)
          .slice(count)
          .find((m) => match.test(m.text)),
      { what: `${match} after ${text}` },
    );
  };
  const discordCommand = (userId: string, name: string, options: Record<string, string> = {}) =>
    discord.interaction({ kind: 'command', name, userId, options }).waitForResponse();

  beforeAll(async () => {
    [discord, telegram] = await Promise.all([FakeDiscord.start(), FakeTelegram.start()]);
    telegram.addChat(group);
    app = await startTestApp({
      clock,
      env: {
        ...discordEnv(discord),
        APP_ROLES: 'api,worker,scheduler,telegram,discord',
        TELEGRAM_BOT_TOKEN: telegram.token,
        TELEGRAM_API_ROOT: telegram.apiRoot,
        TELEGRAM_POLL_TIMEOUT_SECONDS: '5',
        TELEGRAM_SEND_PER_CHAT_PER_SECOND: '50',
        DISCORD_COMMANDS_PER_MINUTE: '6',
      },
    });
    await waitFor(() => discord.commands(discord.guild.id).length > 0, {
      what: 'the Discord bot',
    });
  });

  afterAll(async () => {
    await app?.close();
    await Promise.all([discord?.stop(), telegram?.stop()]);
  });

  it('/link in a Telegram group never posts a code: it says to ask in private', async () => {
    await say(ann, '/start', /./);
    const answer = await say(ann, '/link', /private/, group.id);
    expect(answer.text).toBe(
      'I only show link codes in private: send me /link in a direct message.',
    );
    expect(telegram.messages(group.id).some((m) => /[A-Z2-9]{4}-?[A-Z2-9]{4}/.test(m.text))).toBe(
      false,
    );
    expect(await liveCodes('telegram', String(ann.id))).toBe(0);
  });

  it('both bots show codes as ABCD-EFGH; redeeming takes any case, spaces or no hyphen', async () => {
    const reply = await say(ann, '/link', /Your code: /);
    const telegramCode = /Your code: (\S+)/.exec(reply.text)![1];
    expect(telegramCode).toMatch(CODE_SHAPE);

    const issued = await discordCommand(discord.guild.users.bob.id, 'link');
    expect(issued.flags! & MessageFlags.Ephemeral).toBeTruthy();
    const discordCode = /\*\*(\S+)\*\*/.exec(issued.content!)![1];
    expect(discordCode).toMatch(CODE_SHAPE);

    // Cid types Bob's code in lower case with a space instead of the hyphen.
    await say(cid, '/start', /./);
    const typed = `${discordCode.slice(0, 4)} ${discordCode.slice(5)}`.toLowerCase();
    await say(cid, `/link ${typed}`, /Discord is linked/);

    // Alice redeems Ann's code without the hyphen, in lower case.
    const redeemed = await discordCommand(discord.guild.users.alice.id, 'link', {
      code: telegramCode.replace('-', '').toLowerCase(),
    });
    expect(redeemed.flags! & MessageFlags.Ephemeral).toBeTruthy();
    expect(redeemed.content).toContain('linked');
  });

  it('a code typed in a Telegram group is refused and burned; its owner is told in private', async () => {
    const dave: TelegramUser = { id: 8203, first_name: 'Dave', language_code: 'en' };
    await say(dave, '/start', /./);
    const reply = await say(dave, '/link', /Your code: /);
    const code = /Your code: (\S+)/.exec(reply.text)![1];
    const privateBefore = telegram.messages(dave.id).length;

    const answer = await say(dave, `/link ${code}`, /group chat/, group.id);
    expect(answer.text).toContain('this one no longer works');
    expect(await liveCodes('telegram', String(dave.id))).toBe(0);
    await waitFor(
      () =>
        telegram
          .messages(dave.id)
          .slice(privateBefore)
          .find((m) => m.text.startsWith('Your link code was typed in a group chat')),
      { what: 'the private warning' },
    );
    // Burned: nobody can redeem it now, and nothing was linked.
    const tried = await discordCommand(discord.guild.users.owner.id, 'link', { code });
    expect(tried.content).toMatch(/expired/i);
    const identities: { n: string }[] = await db().query(
      `SELECT count(*) AS n FROM identities WHERE account_id =
         (SELECT account_id FROM identities WHERE platform = 'telegram' AND external_id = $1)`,
      [String(dave.id)],
    );
    expect(Number(identities[0].n)).toBe(1);
  });

  it('a Discord code typed in a Telegram group warns its owner by DM on Discord', async () => {
    const { owner } = discord.guild.users;
    const issued = await discordCommand(owner.id, 'link');
    const code = /\*\*(\S+)\*\*/.exec(issued.content!)![1];
    const eve: TelegramUser = { id: 8204, first_name: 'Eve', language_code: 'en' };
    await say(eve, `/link ${code}`, /group chat/, group.id);
    await waitFor(
      () => discord.dms(owner.id).find((m) => m.content.includes('typed in a Telegram group')),
      { what: 'the DM to the code owner' },
    );
    expect(await liveCodes('discord', owner.id)).toBe(0);
  });

  it('limits commands per member and /sync to once per 30 s', async () => {
    const { bob, alice } = discord.guild.users;
    clock.advance(60_000);
    expect((await discordCommand(bob.id, 'sync')).content).not.toMatch(/once every/);
    const again = await discordCommand(bob.id, 'sync');
    expect(again.content).toBe('/sync works once every 30 s. Try again in 30 s.');
    expect(again.flags! & MessageFlags.Ephemeral).toBeTruthy();
    clock.advance(30_000);
    expect((await discordCommand(bob.id, 'sync')).content).not.toMatch(/once every/);

    // DISCORD_COMMANDS_PER_MINUTE=6 here: three used by Bob; three more pass, the next is refused.
    for (let i = 0; i < 3; i += 1) {
      expect((await discordCommand(bob.id, 'profile')).content ?? '').not.toMatch(/Too many/);
    }
    const refused = await discordCommand(bob.id, 'profile');
    expect(refused.content).toMatch(/^Too many commands in a row\. Try again in \d+ s\.$/);
    // Another member is not affected.
    expect((await discordCommand(alice.id, 'profile')).content ?? '').not.toMatch(/Too many/);
  });
});
