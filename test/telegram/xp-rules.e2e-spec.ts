/**
 * XP rules and player settings in the Telegram bot, through the real telegraf against the fake
 * Bot API: a double-XP event for games is said before play (the menu, the multiplied reward of
 * the game) and in /profile and /help; /settings toggles DMs and leaderboard visibility with
 * buttons; /top shows a hidden player as "Hidden player" in their place; an opted-out player
 * gets no rank-up message.
 */
import { ManualClock } from '@ttfd/clock';
import { LedgerService, XpRulesAdmin } from '@ttfd/economy';
import { RandomSource, ScriptedRandom } from '@ttfd/games';
import { FakeTelegram, FakeUser } from '../fakes/telegram';
import { TestApp, waitFor } from '../support/test-app';
import { accountOf, query, startBotApp } from './bot-app';

const ann: FakeUser = { id: 8101, first_name: 'Ann', language_code: 'en' };
const boris: FakeUser = { id: 8102, first_name: 'Boris', language_code: 'en' };

describe('XP rules and settings in the Telegram bot', () => {
  let fake: FakeTelegram;
  let app: TestApp;
  // 15:00 in Moscow.
  const clock = new ManualClock('2026-12-05T12:00:00Z');

  const say = async (user: FakeUser, text: string, match: RegExp) => {
    const count = fake.messages(user.id).length;
    fake.sendText(user, text);
    return waitFor(
      () =>
        fake
          .messages(user.id)
          .slice(count)
          .find((m) => match.test(m.text)),
      { what: `${match} after ${text}` },
    );
  };
  const outboxSettled = () =>
    waitFor(
      async () => {
        const [{ open }] = await query<{ open: string }>(
          app,
          `SELECT count(*) AS open FROM sync_events WHERE status IN ('pending', 'processing')`,
        );
        return Number(open) === 0;
      },
      { what: 'every outbox event done' },
    );

  beforeAll(async () => {
    fake = await FakeTelegram.start();
    app = await startBotApp(fake, {
      clock,
      env: { COMMUNITY_TIMEZONE: 'Europe/Moscow' },
      override: (builder) =>
        builder.overrideProvider(RandomSource).useValue(new ScriptedRandom([0.495])),
    });
    await say(ann, '/start', /Hi, Ann/);
    await say(boris, '/start', /Hi, Boris/);
  });

  afterAll(async () => {
    await app?.close();
    await fake?.stop();
  });

  it('states a double-XP event for games before play, and in /profile and /help', async () => {
    await app.app.get(XpRulesAdmin).createEvent({
      name: 'Weekend',
      multiplier: 2,
      sources: ['games'],
      startsAt: '2026-12-05T12:00',
      endsAt: '2026-12-05T20:00',
    });
    const menu = await say(ann, '/games', /^What shall we play\?/);
    expect(menu.text).toContain('⚡ Weekend: ×2 XP for games until 2026-12-05 20:00');
    const data = (menu.reply_markup!.inline_keyboard[0][0] as { callback_data: string })
      .callback_data;
    const count = fake.messages(ann.id).length;
    fake.pressButton(ann, menu, data);
    const started = await waitFor(() => fake.messages(ann.id)[count]);
    expect(started.text).toContain('Reward: 40 XP to 200 XP');
    expect(started.text).toContain('⚡ Weekend: XP ×2');
    // The secret is 50 (the scripted draw): a win at the first try pays the stated 200.
    expect((await say(ann, '50', /You got it/)).text).toContain('Reward: 200 XP');
    const accountId = (await accountOf(app, ann.id))!;
    const [row] = await query<{ xp_delta: string; metadata: Record<string, unknown> }>(
      app,
      `SELECT xp_delta, metadata FROM ledger_entries WHERE account_id = $1 AND reason = 'game_guess'`,
      [accountId],
    );
    expect(Number(row.xp_delta)).toBe(200);
    expect(row.metadata).toMatchObject({ base: 100, multiplier: 2, event: { name: 'Weekend' } });

    expect((await say(ann, '/help', /What I can do/)).text).toContain('⚡ Weekend: ×2 XP');
    await outboxSettled();
    const profile = await say(ann, '/profile', /⚡ Weekend/);
    expect(profile.text).toContain('until 2026-12-05 20:00');
  });

  it('/settings toggles with buttons; /top shows a hidden player in their place', async () => {
    await outboxSettled();
    const shown = await say(ann, '/settings', /Settings/);
    expect(shown.text).toContain('Direct messages: on');
    expect(shown.text).toContain('your name is shown');
    const [dmButton, topButton] = shown.reply_markup!.inline_keyboard.map(
      (row) => (row[0] as { callback_data: string }).callback_data,
    );
    fake.pressButton(ann, shown, topButton);
    await waitFor(() => fake.message(ann.id, shown.message_id)?.text.includes('Hidden player'), {
      what: 'the settings message to show the hidden state',
    });
    fake.pressButton(ann, shown, dmButton);
    await waitFor(
      () => fake.message(ann.id, shown.message_id)?.text.includes('Direct messages: off'),
      {
        what: 'the settings message to show DMs off',
      },
    );

    const top = await say(boris, '/top', /^🏆|Season|top/i);
    expect(top.text).toContain('1. Hidden player: 200 XP');
    expect(top.text).not.toContain('Ann');
  });

  it('sends no rank-up message to a player who turned DMs off', async () => {
    const accountId = (await accountOf(app, ann.id))!;
    const before = fake.messages(ann.id).length;
    await app.app.get(LedgerService).award({
      accountId,
      xp: 5_000,
      reason: 'discord_voice',
      source: 'discord',
      idempotencyKey: `voice:test:${accountId}`,
    });
    await outboxSettled();
    // Boris is told his own things; Ann nothing at all.
    await say(boris, '/help', /What I can do/);
    expect(fake.messages(ann.id).slice(before)).toEqual([]);
  });
});
