/**
 * Times the bots show carry the community zone's own name, with a zone far from Moscow
 * (Etc/GMT+12: 15 hours behind it): the next daily reward, the next spin, the link code's expiry
 * and the season's end, in Telegram and Discord, in English and Russian. Counts of days read
 * as the language says them ("1 day", "2 days"; "1 день", "2 дня").
 */
import { DataSource } from 'typeorm';
import { ManualClock } from '@ttfd/clock';
import { RandomSource, ScriptedRandom } from '@ttfd/games';
import { FakeDiscord } from '../fakes/discord';
import { FakeTelegram, type FakeUser } from '../fakes/telegram';
import { startTestApp, TestApp, waitFor } from '../support/test-app';
import { discordEnv } from '../discord/discord-test-kit';

const ann: FakeUser = { id: 8301, first_name: 'Ann', language_code: 'en' };
const ivan: FakeUser = { id: 8302, first_name: 'Иван', language_code: 'ru' };
/** 10:00 UTC is 22:00 of the day before in the community zone: its next day starts at 12:00 UTC. */
const START = '2026-03-02T10:00:00Z';

describe('community time zone in what the bots say', () => {
  let discord: FakeDiscord;
  let telegram: FakeTelegram;
  let app: TestApp;
  const clock = new ManualClock(START);

  const say = async (user: FakeUser, text: string, match: RegExp) => {
    const count = telegram.messages(user.id).length;
    telegram.sendText(user, text);
    return waitFor(
      () =>
        telegram
          .messages(user.id)
          .slice(count)
          .find((m) => match.test(m.text)),
      { what: `${match} after ${text}` },
    );
  };

  const seasonEnd = async (): Promise<Date> => {
    const rows: { ends_at: Date }[] = await app.app
      .get(DataSource)
      .query(`SELECT ends_at FROM seasons WHERE status = 'open'`);
    return new Date(rows[0].ends_at);
  };

  beforeAll(async () => {
    [discord, telegram] = await Promise.all([FakeDiscord.start(), FakeTelegram.start()]);
    app = await startTestApp({
      clock,
      env: {
        ...discordEnv(discord),
        APP_ROLES: 'api,worker,scheduler,telegram,discord',
        COMMUNITY_TIMEZONE: 'Etc/GMT+12',
        TELEGRAM_BOT_TOKEN: telegram.token,
        TELEGRAM_API_ROOT: telegram.apiRoot,
        TELEGRAM_POLL_TIMEOUT_SECONDS: '5',
        TELEGRAM_SEND_PER_CHAT_PER_SECOND: '50',
      },
      override: (builder) =>
        builder.overrideProvider(RandomSource).useValue(new ScriptedRandom([0.495])),
    });
    await waitFor(() => discord.commands(discord.guild.id).length > 0, {
      what: 'the Discord bot',
    });
    await waitFor(async () => (await seasonEnd().catch(() => null)) !== null, {
      what: 'the open season',
    });
  });

  afterAll(async () => {
    await app?.close();
    await Promise.all([discord?.stop(), telegram?.stop()]);
  });

  it('/daily counts the streak in days and names the zone of the next claim', async () => {
    expect((await say(ann, '/daily', /Daily reward/)).text).toContain('Streak: 1 day in a row.');
    expect((await say(ann, '/daily', /already claimed/)).text).toContain(
      'Next one: 2026-03-02 00:00 (GMT-12).',
    );
    expect((await say(ivan, '/daily', /Награда дня/)).text).toContain('Серия: 1 день подряд.');
    expect((await say(ivan, '/daily', /уже получена/)).text).toContain(
      'Следующая: 2026-03-02 00:00 (GMT-12).',
    );

    clock.advance(2 * 3_600_000); // 00:00 of the next community day
    expect((await say(ann, '/daily', /Daily reward/)).text).toContain('Streak: 2 days in a row.');
    expect((await say(ivan, '/daily', /Награда дня/)).text).toContain('Серия: 2 дня подряд.');
  });

  it('the wheel names the zone of the next spin', async () => {
    const spin = async (user: FakeUser) => {
      const menu = await say(user, '/games', /./);
      const buttons = menu.reply_markup!.inline_keyboard.flat() as { callback_data: string }[];
      const count = telegram.messages(user.id).length;
      telegram.pressButton(user, menu, buttons[2].callback_data);
      return waitFor(() => telegram.messages(user.id)[count], { what: 'the spin' });
    };
    await spin(ann);
    expect((await spin(ann)).text).toContain('Next spin: 2026-03-03 00:00 (GMT-12).');
  });

  it('/link names the zone of the expiry, not Moscow', async () => {
    const en = (await say(ann, '/link', /Your code/)).text;
    expect(en).toMatch(/until 2026-03-02 \d\d:\d\d \(GMT-12\)/);
    expect(en).not.toMatch(/Moscow/);
    const ru = (await say(ivan, '/link', /Твой код/)).text;
    expect(ru).toMatch(/до 2026-03-02 \d\d:\d\d \(GMT-12\)/);
    expect(ru).not.toMatch(/МСК/);
  });

  it('/top says when the season ends, in the community zone, on both bots', async () => {
    const ends = await seasonEnd();
    const local = new Date(ends.getTime() - 12 * 3_600_000).toISOString();
    const label = `${local.slice(0, 10)} ${local.slice(11, 16)} (GMT-12)`;
    expect((await say(ann, '/top', /Season top/)).text).toContain(`Season ends: ${label}.`);
    expect((await say(ivan, '/top', /Топ сезона/)).text).toContain(`Сезон закончится: ${label}.`);

    const handle = discord.interaction({
      kind: 'command',
      name: 'top',
      userId: discord.guild.users.alice.id,
    });
    const response = await handle.waitForResponse();
    expect(JSON.stringify(response)).toContain(`Season ends: ${label}.`);
  });
});
