import { LedgerService } from '@ttfd/economy';
import { QUIZ_BANK, RandomSource, ScriptedRandom } from '@ttfd/games';
import { LinkRedeemer } from '@ttfd/linking';
import { FakeTelegram, FakeUser } from '../fakes/telegram';
import { TestApp, waitFor } from '../support/test-app';
import { accountOf, query, startBotApp } from './bot-app';

/** Every draw is 0.495: the guess secret is 50, the wheel lands on 25 XP. */
const DRAW = 0.495;
const ann: FakeUser = { id: 8001, first_name: 'Ann', language_code: 'en' };
const admin: FakeUser = { id: 8999, first_name: 'Ops', language_code: 'en' };

describe('Telegram commands, end to end', () => {
  let fake: FakeTelegram;
  let app: TestApp;
  let accountId: string;

  const ledger = (reason: string) =>
    query<{ n: string; xp: string; coins: string }>(
      app,
      `SELECT count(*) AS n, coalesce(sum(xp_delta), 0) AS xp, coalesce(sum(coins_delta), 0) AS coins
         FROM ledger_entries WHERE account_id = $1 AND reason = $2`,
      [accountId, reason],
    ).then(([row]) => ({ n: Number(row.n), xp: Number(row.xp), coins: Number(row.coins) }));
  const totals = () =>
    query<{ xp: string; coins: string }>(app, `SELECT xp, coins FROM accounts WHERE id = $1`, [
      accountId,
    ]).then(([row]) => ({ xp: Number(row.xp), coins: Number(row.coins) }));
  /** The bot's next message in the chat after `count` messages. */
  const nextMessage = async (user: FakeUser, count: number) =>
    waitFor(() => fake.messages(user.id)[count], { what: `message #${count + 1} to ${user.id}` });
  const say = async (user: FakeUser, text: string) => {
    const count = fake.messages(user.id).length;
    fake.sendText(user, text);
    return nextMessage(user, count);
  };
  /** Says `text` and waits for a later bot message matching `match` (notifications may interleave). */
  const sayAndFind = async (user: FakeUser, text: string, match: RegExp) => {
    const count = fake.messages(user.id).length;
    fake.sendText(user, text);
    return waitFor(
      () =>
        fake
          .messages(user.id)
          .slice(count)
          .find((m) => match.test(m.text)),
      {
        what: `${match} after ${text}`,
      },
    );
  };
  /**
   * Every outbox event done, so every notification it causes (an achievement of the previous
   * game) is already in the chat: the next "first new message" is the answer to the next step.
   */
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
  const chooseGame = async (user: FakeUser, game: 'guess' | 'quiz' | 'spin') => {
    await outboxSettled();
    const menu = await sayAndFind(user, '/games', /^What shall we play\?$/);
    const buttons = menu.reply_markup!.inline_keyboard.flat();
    const index = ['guess', 'quiz', 'spin'].indexOf(game);
    const data = (buttons[index] as { callback_data: string }).callback_data;
    const count = fake.messages(user.id).length;
    fake.pressButton(user, menu, data);
    return nextMessage(user, count);
  };

  beforeAll(async () => {
    fake = await FakeTelegram.start();
    app = await startBotApp(fake, {
      env: { TELEGRAM_ADMIN_IDS: String(admin.id) },
      override: (builder) =>
        builder.overrideProvider(RandomSource).useValue(new ScriptedRandom([DRAW])),
    });
    await say(ann, '/start');
    accountId = (await accountOf(app, ann.id))!;
  });

  afterAll(async () => {
    await app?.close();
    await fake?.stop();
  });

  it('plays guess the number to a win; bad input costs no try', async () => {
    expect((await chooseGame(ann, 'guess')).text).toContain('from 1 to 100. Tries: 7');
    expect((await say(ann, 'fifty')).text).toContain('I need a number from 1 to 100. No try used');
    expect((await say(ann, '500')).text).toContain('whole number from 1 to 100. No try used');
    expect((await say(ann, '25')).text).toBe('Higher! Tries left: 6.');
    expect((await say(ann, '75')).text).toBe('Lower! Tries left: 5.');
    expect((await say(ann, '50')).text).toContain('You got it: 50! Reward: 60 XP');
    expect(await ledger('game_guess')).toEqual({ n: 1, xp: 60, coins: 0 });
    // The game is over: plain text is no longer a guess. (The win's achievement notice first,
    // or it may land between '51' and its answer.)
    await outboxSettled();
    expect((await say(ann, '51')).text).toContain("I didn't get that");
  });

  it('plays the quiz: the message is edited with the result; a second press pays nothing', async () => {
    const question = await chooseGame(ann, 'quiz');
    const asked = QUIZ_BANK.find((q) => question.text.includes(q.en.text))!;
    const rightText = asked.en.options[asked.correct];
    const buttons = question.reply_markup!.inline_keyboard.map((row) => row[0]) as {
      text: string;
      callback_data: string;
    }[];
    const right = buttons.find((b) => b.text === rightText)!;
    const messagesBefore = fake.messages(ann.id).length;

    // A tampered button (another option's index with the right button's MAC) changes nothing.
    const tampered = right.callback_data.replace(
      /:(\d+):([^:]+)$/,
      (_m, i, mac) => `:${(Number(i) + 1) % 4}:${mac}`,
    );
    fake.pressButton(ann, question, tampered, { force: true });
    await waitFor(() => fake.answeredCallbacks().find((a) => a.text?.includes('not for you')));
    expect(await ledger('game_quiz')).toEqual({ n: 0, xp: 0, coins: 0 });

    fake.pressButton(ann, question, right.callback_data);
    const edited = await waitFor(() =>
      fake.message(ann.id, question.message_id)?.text.includes('Correct!')
        ? fake.message(ann.id, question.message_id)
        : undefined,
    );
    expect(edited.text).toContain(`The answer: ${rightText}. Reward: 30 XP`);
    expect(fake.messages(ann.id)).toHaveLength(messagesBefore); // edited, not a new message

    fake.pressButton(ann, question, right.callback_data, { force: true });
    await waitFor(() =>
      fake.answeredCallbacks().find((a) => a.text?.includes('already been answered')),
    );
    expect(await ledger('game_quiz')).toEqual({ n: 1, xp: 30, coins: 0 });
  });

  it('shows the quiz result with the question, the right answer and the choice', async () => {
    const question = await chooseGame(ann, 'quiz');
    const asked = QUIZ_BANK.find((q) => question.text.includes(q.en.text))!;
    const rightText = asked.en.options[asked.correct];
    const buttons = question.reply_markup!.inline_keyboard.map((row) => row[0]) as {
      text: string;
      callback_data: string;
    }[];
    const wrong = buttons.find((b) => b.text !== rightText)!;

    // An old message reaches the bot without its text and buttons: the result still names them.
    fake.pressButton(ann, question, wrong.callback_data, { inaccessible: true });
    const edited = await waitFor(() =>
      fake.message(ann.id, question.message_id)?.text.includes('Wrong')
        ? fake.message(ann.id, question.message_id)
        : undefined,
    );
    expect(edited.text).toBe(
      `❓ ${asked.en.text}\n\nYour answer: ${wrong.text}\n❌ Wrong. The right answer: ${rightText}.`,
    );
    expect(edited.reply_markup?.inline_keyboard ?? []).toEqual([]);
  });

  it('spins the wheel once a day', async () => {
    expect((await chooseGame(ann, 'spin')).text).toBe('🎡 The wheel stopped at: 25 XP!');
    expect((await chooseGame(ann, 'spin')).text).toContain(
      'already spun today. Next spin: 2026-01-16 00:00',
    );
    expect(await ledger('daily_spin')).toEqual({ n: 1, xp: 25, coins: 0 });
  });

  it('/daily twice pays once and says when the next claim opens', async () => {
    expect((await say(ann, '/daily')).text).toContain(
      'Daily reward: 100 XP and 50 coins. Streak: 1',
    );
    expect((await say(ann, '/daily')).text).toContain(
      'already claimed (streak: 1). Next one: 2026-01-16 00:00',
    );
    expect(await ledger('daily_reward')).toEqual({ n: 1, xp: 100, coins: 50 });
  });

  it('/daily re-delivered as the same update pays once', async () => {
    const user: FakeUser = { id: 8002, first_name: 'Bo', language_code: 'en' };
    const update = fake.sendText(user, '/daily');
    await fake.waitForMessage(user.id, /Daily reward/);
    fake.pushUpdate({ update_id: update.update_id, message: update.message });
    expect((await say(user, '/nope')).text).toContain('/nope');
    const bo = (await accountOf(app, user.id))!;
    const rows = await query(app, `SELECT id FROM ledger_entries WHERE account_id = $1`, [bo]);
    expect(rows).toHaveLength(1);
    expect(fake.messages(user.id).filter((m) => m.text.includes('reward'))).toHaveLength(1);
  });

  it('/profile shows exactly the awarded totals', async () => {
    const sum = 60 + 30 + 25 + 100;
    expect(await totals()).toEqual({ xp: sum, coins: 50 });
    const profile = (await say(ann, '/profile')).text;
    expect(profile).toContain(`XP: ${sum}\nCoins: 50`);
    expect(profile).toMatch(/Rank: .+ \(\d+\/20\)\n[▰▱]{10} \d+%/);
    expect(profile).toContain('Season place: 1');
    expect(profile).toContain('Discord: not linked');
  });

  it("/profile as a player's first command makes the account and shows it", async () => {
    const newcomer: FakeUser = { id: 8004, first_name: 'Pia', language_code: 'en' };
    expect(await accountOf(app, newcomer.id)).toBeUndefined();
    const profile = (await say(newcomer, '/profile')).text;
    expect(await accountOf(app, newcomer.id)).toBeDefined();
    expect(profile).toContain('Pia');
    expect(profile).toContain('XP: 0\nCoins: 0');
    expect(profile).toContain('Discord: not linked');
  });

  it('/top lists the season and the own place', async () => {
    const top = (await say(ann, '/top')).text;
    expect(top).toContain('1. Ann: 215 XP');
    expect(top).toContain('You are in place 1 (215 XP).');
  });

  it('/link issues a code the linking service accepts; both sides hear about it', async () => {
    const reply = (await say(ann, '/link')).text;
    const code = /Your code: (\S+)/.exec(reply)![1];
    await app.app.get(LinkRedeemer).redeem('discord', '555000111222333444', code);
    await fake.waitForMessage(ann.id, 'A Discord account is now linked');
    expect((await sayAndFind(ann, '/profile', /^👤/)).text).toContain('Discord: linked');
    await sayAndFind(ann, `/link ${code}`, /already used/);
  });

  it('an award from Discord brings a rank-up message', async () => {
    const before = fake.messages(ann.id).length;
    await app.app.get(LedgerService).award({
      accountId,
      xp: 5_000,
      reason: 'discord_voice',
      source: 'discord',
      idempotencyKey: `voice:test:${accountId}`,
    });
    await waitFor(() =>
      fake
        .messages(ann.id)
        .slice(before)
        .find((m) => m.text.startsWith('⬆️ New rank')),
    );
  });

  it('/stats is for admins only', async () => {
    expect((await say(ann, '/stats')).text).toBe('This command is for admins only.');
    expect((await say(admin, '/stats')).text).toMatch(/Sync over 15 min:\npending: \d+/);
  });

  it('/unlink answers at once when nothing is linked: no question, no button', async () => {
    const loner: FakeUser = { id: 8003, first_name: 'Lo', language_code: 'en' };
    const answer = await say(loner, '/unlink');
    expect(answer.text).toBe('No Discord account is linked to this profile.');
    expect(answer.reply_markup?.inline_keyboard ?? []).toEqual([]);
  });

  it('/unlink asks for confirmation, then unlinks', async () => {
    const ask = await say(ann, '/unlink');
    const data = (ask.reply_markup!.inline_keyboard[0][0] as { callback_data: string })
      .callback_data;
    // Someone else pressing the button changes nothing.
    fake.pressButton(admin, ask, data, { force: true });
    await waitFor(
      () => fake.answeredCallbacks().filter((a) => a.text?.includes('not for you')).length >= 2,
    );
    fake.pressButton(ann, ask, data);
    await waitFor(() => fake.message(ann.id, ask.message_id)?.text === 'Discord is unlinked.');
    expect((await sayAndFind(ann, '/profile', /^👤/)).text).toContain('Discord: not linked');
  });
});
