/**
 * Both bots at once, each against its fake, in one app: a code from Telegram's /link redeemed by
 * Discord's /link; a Telegram game win gives the Discord member the new rank role; Discord
 * messages bring a rank-up message in Telegram. The seed's "tested both ways". Each platform
 * effect's log line carries the correlation id of the update or Discord event that caused it.
 */
import { DataSource } from 'typeorm';
import { ManualClock } from '@ttfd/clock';
import { XpRandom } from '@ttfd/discord';
import { LedgerService } from '@ttfd/economy';
import { RandomSource, ScriptedRandom } from '@ttfd/games';
import { FakeDiscord } from '../fakes/discord';
import { FakeTelegram, type FakeUser as TelegramUser } from '../fakes/telegram';
import { LogCapture, startTestApp, TestApp, waitFor } from '../support/test-app';
import { discordEnv, MESSAGE_XP } from './discord-test-kit';

const ann: TelegramUser = { id: 8101, first_name: 'Ann', language_code: 'en' };

describe('Telegram and Discord bots together', () => {
  let discord: FakeDiscord;
  let telegram: FakeTelegram;
  let app: TestApp;
  let accountId: string;
  const clock = new ManualClock('2026-03-02T10:00:00Z');
  const logs = new LogCapture();

  /** The correlation id on the newest outbox row of `type` for the account. */
  const correlationOf = async (type: string): Promise<string> => {
    const rows: { correlation_id: string }[] = await app.app.get(DataSource).query(
      `SELECT correlation_id FROM sync_events WHERE account_id = $1 AND type = $2
          ORDER BY id DESC LIMIT 1`,
      [accountId, type],
    );
    return rows[0]?.correlation_id;
  };

  const eventIdOf = async (type: string): Promise<string> => {
    const rows: { id: string }[] = await app.app
      .get(DataSource)
      .query(
        `SELECT id FROM sync_events WHERE account_id = $1 AND type = $2 ORDER BY id DESC LIMIT 1`,
        [accountId, type],
      );
    return String(rows[0]?.id);
  };

  /**
   * Every outbox event done, so every notification it causes is in the fake: the next test's
   * "first new message" cannot be a late one from this test.
   */
  const outboxSettled = () =>
    waitFor(
      async () => {
        const [{ open }]: { open: string }[] = await app.app
          .get(DataSource)
          .query(
            `SELECT count(*) AS open FROM sync_events WHERE status IN ('pending', 'processing')`,
          );
        return Number(open) === 0;
      },
      { what: 'every outbox event done' },
    );

  /** The log line saying `message`, waited for (the worker writes it after the platform call). */
  const logLine = (message: string) =>
    waitFor(() => logs.lines.find((line) => line.msg === message), { what: `log "${message}"` });

  const say = async (text: string, match: RegExp) => {
    const count = telegram.messages(ann.id).length;
    telegram.sendText(ann, text);
    return waitFor(
      () =>
        telegram
          .messages(ann.id)
          .slice(count)
          .find((m) => match.test(m.text)),
      { what: `${match} after ${text}` },
    );
  };

  const setXp = async (xp: number, key: string) => {
    const rows: { xp: string }[] = await app.app
      .get(DataSource)
      .query(`SELECT xp FROM accounts WHERE id = $1`, [accountId]);
    await app.app.get(LedgerService).adjust({
      accountId,
      xp: xp - Number(rows[0].xp),
      reason: 'admin_adjustment',
      source: 'admin',
      idempotencyKey: `admin:${key}`,
    });
  };

  beforeAll(async () => {
    [discord, telegram] = await Promise.all([FakeDiscord.start(), FakeTelegram.start()]);
    app = await startTestApp({
      clock,
      logs,
      env: {
        ...discordEnv(discord),
        APP_ROLES: 'api,worker,scheduler,telegram,discord',
        TELEGRAM_BOT_TOKEN: telegram.token,
        TELEGRAM_API_ROOT: telegram.apiRoot,
        TELEGRAM_POLL_TIMEOUT_SECONDS: '5',
        TELEGRAM_SEND_PER_CHAT_PER_SECOND: '50',
        TELEGRAM_FLOOD_LIMIT: '1000',
      },
      override: (builder) =>
        builder
          .overrideProvider(RandomSource)
          .useValue(new ScriptedRandom([0.495])) // guess-the-number secret: 50
          .overrideProvider(XpRandom)
          .useValue({ between: () => MESSAGE_XP }),
    });
    await waitFor(() => discord.commands(discord.guild.id).length > 0, {
      what: 'the Discord bot',
    });
    // Rank 2 -> "Rank I", rank 3 -> "Rank II" on Discord.
    const db = app.app.get(DataSource);
    await db.query(`UPDATE rank_role_mappings SET discord_role_id = $1 WHERE rank_id = 2`, [
      discord.guild.roles.rank1,
    ]);
    await db.query(`UPDATE rank_role_mappings SET discord_role_id = $1 WHERE rank_id = 3`, [
      discord.guild.roles.rank2,
    ]);
  });

  afterAll(async () => {
    await app?.close();
    await Promise.all([discord?.stop(), telegram?.stop()]);
  });

  it('links with a code from Telegram /link redeemed by Discord /link', async () => {
    await say('/start', /./);
    const reply = await say('/link', /Your code: /);
    const code = /Your code: (\S+)/.exec(reply.text)![1];
    const handle = discord.interaction({
      kind: 'command',
      name: 'link',
      userId: discord.guild.users.alice.id,
      options: { code },
    });
    expect((await handle.waitForResponse()).content).toContain('linked');
    const db = app.app.get(DataSource);
    const rows: { account_id: string; platform: string }[] = await db.query(
      `SELECT account_id, platform FROM identities WHERE external_id IN ($1, $2) ORDER BY platform`,
      [String(ann.id), discord.guild.users.alice.id],
    );
    expect(rows.map((r) => r.platform)).toEqual(['discord', 'telegram']);
    expect(rows[0].account_id).toBe(rows[1].account_id);
    accountId = String(rows[0].account_id);
    // The interaction's id, from the command through the outbox to the Telegram message.
    const linked = await correlationOf('account.linked');
    expect(linked).toMatch(/^dc-\d{17,20}$/);
    const notified = await logLine(
      `linked notification to telegram user ${ann.id}: sent (event ${await eventIdOf('account.linked')})`,
    );
    expect(notified.correlationId).toBe(linked);
    await outboxSettled(); // the "linked" achievement's message too
  });

  it('a Telegram game win gives the Discord member the new rank role', async () => {
    await setXp(950, 'before-win');
    const menu = await say('/games', /./);
    const data = (menu.reply_markup!.inline_keyboard.flat()[0] as { callback_data: string })
      .callback_data;
    const count = telegram.messages(ann.id).length;
    telegram.pressButton(ann, menu, data);
    await waitFor(() => telegram.messages(ann.id)[count], { what: 'the game to start' });
    await say('50', /You got it: 50!/); // 60 XP: 1010, rank 2
    await discord.waitForRoleCall({
      method: 'PUT',
      userId: discord.guild.users.alice.id,
      roleId: discord.guild.roles.rank1,
    });
    expect(discord.memberRoles(discord.guild.id, discord.guild.users.alice.id)).toEqual([
      discord.guild.roles.rank1,
    ]);
    // The Telegram update that answered the game, through the job, to the Discord role call.
    const win = await correlationOf('rank.changed');
    expect(win).toMatch(/^tg-\d+-[0-9a-f-]{36}$/);
    const roleLine = await logLine(
      `role ${discord.guild.roles.rank1} added to member ${discord.guild.users.alice.id} (account ${accountId})`,
    );
    expect(String(roleLine.correlationId).split(',')).toContain(win);
    await outboxSettled(); // the rank-up message too
  });

  it('Discord messages bring a rank-up message in Telegram', async () => {
    await setXp(2_540, 'before-messages'); // rank 3 at 2550
    const before = telegram.messages(ann.id).length;
    discord.sendMessage({
      channelId: discord.guild.channels.text,
      author: discord.guild.users.alice,
      content: 'hello from discord',
    });
    const message = await waitFor(
      () =>
        telegram
          .messages(ann.id)
          .slice(before)
          .find((m) => m.text.startsWith('⬆️ New rank')),
      { what: 'the rank-up message in Telegram' },
    );
    expect(message.text).toContain('Seeker');
    await discord.waitForRoleCall({
      method: 'PUT',
      userId: discord.guild.users.alice.id,
      roleId: discord.guild.roles.rank2,
    });
    expect(discord.problems()).toEqual([]);
    // The Discord message, through the job, to the Telegram message and the role call.
    const fromMessage = await correlationOf('rank.changed');
    expect(fromMessage).toMatch(/^dc-messageCreate-[0-9a-f-]{36}$/);
    const notified = await logLine(
      `rankUp notification to telegram user ${ann.id}: sent (event ${await eventIdOf('rank.changed')})`,
    );
    expect(notified.correlationId).toBe(fromMessage);
    const roleLine = await logLine(
      `role ${discord.guild.roles.rank2} added to member ${discord.guild.users.alice.id} (account ${accountId})`,
    );
    expect(String(roleLine.correlationId).split(',')).toContain(fromMessage);
  });
});
