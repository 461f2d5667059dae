import { DataSource } from 'typeorm';
import { ManualClock } from '@ttfd/clock';
import { AccountsService, EconomyError, ledgerDrift } from '@ttfd/economy';
import {
  DailyService,
  GamesError,
  GamesModule,
  GUESS_REWARDS,
  GuessService,
  QUIZ_BANK,
  QuizService,
  RandomSource,
  SeededRandom,
  WheelService,
} from '@ttfd/games';
import { useEconomyApp } from '../support/economy-app';

async function refusal(promise: Promise<unknown>): Promise<GamesError | EconomyError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof GamesError) && !(error instanceof EconomyError)) {
    throw new Error(`Expected a domain error, got ${String(error)}`);
  }
  return error;
}

describe('games on Postgres', () => {
  let dataSource: DataSource;
  let accounts: AccountsService;
  let guess: GuessService;
  let quiz: QuizService;
  let wheel: WheelService;
  let daily: DailyService;
  // 23:00 in Moscow (UTC+3): the community's day ends at 21:00Z.
  const clock = new ManualClock('2026-03-10T20:00:00Z');

  const world = useEconomyApp({
    clock,
    env: { COMMUNITY_TIMEZONE: 'Europe/Moscow' },
    imports: [GamesModule],
    overrides: [[RandomSource, new SeededRandom(42)]],
  });

  beforeAll(() => {
    dataSource = world.db;
    accounts = world.get(AccountsService);
    guess = world.get(GuessService);
    quiz = world.get(QuizService);
    wheel = world.get(WheelService);
    daily = world.get(DailyService);
  });

  afterEach(async () => {
    expect(await ledgerDrift(dataSource)).toEqual([]);
  });

  async function ledgerOf(accountId: string) {
    const rows: { xp_delta: string; coins_delta: string; reason: string; key: string }[] =
      await dataSource.query(
        `SELECT xp_delta, coins_delta, reason, idempotency_key AS key FROM ledger_entries
          WHERE account_id = $1 ORDER BY id`,
        [accountId],
      );
    return rows.map((r) => ({
      xp: Number(r.xp_delta),
      coins: Number(r.coins_delta),
      reason: r.reason,
      key: r.key,
    }));
  }

  async function secretOf(sessionId: string): Promise<number> {
    const rows: { secret: number }[] = await dataSource.query(
      `SELECT (state->>'secret')::int AS secret FROM game_sessions WHERE id = $1`,
      [sessionId],
    );
    return rows[0].secret;
  }

  describe('guess the number', () => {
    it('resumes the active game, hints, refuses invalid guesses without using a try, pays once', async () => {
      const player = await accounts.create();
      const game = await guess.start(player);
      expect(game).toMatchObject({ resumed: false, triesUsed: 0, triesLeft: 7, min: 1, max: 100 });
      expect(await guess.start(player)).toMatchObject({ sessionId: game.sessionId, resumed: true });

      const secret = await secretOf(game.sessionId);
      for (const bad of [0, 101, 2.5, Number.NaN]) {
        expect((await refusal(guess.guess(player, game.sessionId, bad, 'telegram'))).code).toBe(
          'INVALID_GUESS',
        );
      }
      const miss = secret === 1 ? 2 : secret - 1;
      const hint = await guess.guess(player, game.sessionId, miss, 'telegram');
      expect(hint).toMatchObject({
        outcome: miss < secret ? 'higher' : 'lower',
        triesUsed: 1,
        triesLeft: 6,
        secret: null,
        rewardXp: 0,
      });

      const won = await guess.guess(player, game.sessionId, secret, 'telegram');
      expect(won).toMatchObject({
        outcome: 'won',
        triesUsed: 2,
        rewardXp: GUESS_REWARDS[1],
        secret,
      });
      expect(won.award?.unlocked).toEqual(['first_win']);

      const again = await refusal(guess.guess(player, game.sessionId, secret, 'telegram'));
      expect(again.code).toBe('GAME_FINISHED');
      expect(await ledgerOf(player)).toEqual([
        { xp: GUESS_REWARDS[1], coins: 0, reason: 'game_guess', key: `game:${game.sessionId}` },
      ]);

      // A finished game frees the slot: the next start is a new game.
      const next = await guess.start(player);
      expect(next.resumed).toBe(false);
      expect(next.sessionId).not.toBe(game.sessionId);
    });

    it('finishing a game answered concurrently pays once', async () => {
      const player = await accounts.create();
      const game = await guess.start(player);
      const secret = await secretOf(game.sessionId);
      const outcomes = await Promise.allSettled(
        Array.from({ length: 10 }, () => guess.guess(player, game.sessionId, secret, 'telegram')),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const o of outcomes) {
        if (o.status === 'rejected') expect((o.reason as GamesError).code).toBe('GAME_FINISHED');
      }
      expect(await ledgerOf(player)).toHaveLength(1);
    });

    it('loses after seven misses and pays nothing; another account cannot play it', async () => {
      const player = await accounts.create();
      const other = await accounts.create();
      const game = await guess.start(player);
      expect((await refusal(guess.guess(other, game.sessionId, 50, 'telegram'))).code).toBe(
        'GAME_NOT_FOUND',
      );
      const secret = await secretOf(game.sessionId);
      const misses = Array.from({ length: 100 }, (_, i) => i + 1)
        .filter((n) => n !== secret)
        .slice(0, 7);
      let last;
      for (const value of misses)
        last = await guess.guess(player, game.sessionId, value, 'telegram');
      expect(last).toMatchObject({ outcome: 'lost', triesLeft: 0, secret, rewardXp: 0 });
      expect(await ledgerOf(player)).toEqual([]);
    });
  });

  describe('quiz', () => {
    it('stores the question id, pays a right answer once, refuses a second answer', async () => {
      const player = await accounts.create();
      const game = await quiz.start(player);
      const [row]: { state: Record<string, unknown> }[] = await dataSource.query(
        `SELECT state FROM game_sessions WHERE id = $1`,
        [game.sessionId],
      );
      expect(Object.keys(row.state).sort()).toEqual(['order', 'questionId']);
      expect(JSON.stringify(row.state)).not.toContain(game.question.en.text);
      expect(await quiz.start(player)).toMatchObject({ sessionId: game.sessionId, resumed: true });

      const bank = QUIZ_BANK.find((q) => q.id === game.question.id)!;
      const right = game.question.en.options.indexOf(bank.en.options[bank.correct]);
      expect(game.question.ru.options[right]).toBe(bank.ru.options[bank.correct]);

      expect((await refusal(quiz.answer(player, game.sessionId, 4, 'telegram'))).code).toBe(
        'INVALID_ANSWER',
      );
      const answered = await quiz.answer(player, game.sessionId, right, 'telegram');
      expect(answered).toMatchObject({ correct: true, correctIndex: right, rewardXp: 30 });
      expect((await refusal(quiz.answer(player, game.sessionId, right, 'telegram'))).code).toBe(
        'GAME_FINISHED',
      );
      expect(await ledgerOf(player)).toEqual([
        { xp: 30, coins: 0, reason: 'game_quiz', key: `game:${game.sessionId}` },
      ]);
    });

    it('a wrong answer ends the game, shows the right option and pays nothing', async () => {
      const player = await accounts.create();
      const game = await quiz.start(player);
      const bank = QUIZ_BANK.find((q) => q.id === game.question.id)!;
      const right = game.question.en.options.indexOf(bank.en.options[bank.correct]);
      const wrong = (right + 1) % game.question.en.options.length;
      expect(await quiz.answer(player, game.sessionId, wrong, 'discord')).toMatchObject({
        correct: false,
        correctIndex: right,
        rewardXp: 0,
        award: null,
      });
      expect(await ledgerOf(player)).toEqual([]);
      const next = await quiz.start(player);
      expect(next.question.id).not.toBe(game.question.id);
    });
  });

  describe('wheel', () => {
    it('spins once per community day, concurrently too, and again after midnight', async () => {
      clock.set('2026-03-10T20:00:00Z');
      const player = await accounts.create();
      const outcomes = await Promise.allSettled(
        Array.from({ length: 5 }, () => wheel.spin(player, 'telegram')),
      );
      const paid = outcomes.filter((o) => o.status === 'fulfilled');
      expect(paid).toHaveLength(1);
      const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
      expect((refused.reason as GamesError).code).toBe('ALREADY_SPUN');
      expect((refused.reason as GamesError).details.nextSpinAt).toBe('2026-03-10T21:00:00.000Z');
      expect(await ledgerOf(player)).toHaveLength(1);
      expect((await ledgerOf(player))[0]).toMatchObject({
        reason: 'daily_spin',
        key: `spin:${player}:2026-03-10`,
      });

      clock.set('2026-03-10T21:00:00Z');
      const tomorrow = await wheel.spin(player, 'telegram');
      expect(tomorrow.date).toBe('2026-03-11');
      expect(await ledgerOf(player)).toHaveLength(2);
    });
  });

  describe('daily reward', () => {
    it('two claims at once pay once; refused until midnight in the community zone; then pays again', async () => {
      clock.set('2026-03-10T20:00:00Z');
      const player = await accounts.create();
      const outcomes = await Promise.allSettled([
        daily.claim(player, 'telegram'),
        daily.claim(player, 'discord'),
      ]);
      const paid = outcomes.filter((o) => o.status === 'fulfilled');
      expect(paid).toHaveLength(1);
      expect((paid[0] as PromiseFulfilledResult<{ streak: number }>).value).toMatchObject({
        date: '2026-03-10',
        streak: 1,
        xp: 100,
        coins: 50,
      });
      const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
      expect((refused.reason as GamesError).code).toBe('ALREADY_CLAIMED');
      expect(await ledgerOf(player)).toEqual([
        { xp: 100, coins: 50, reason: 'daily_reward', key: `daily:${player}:2026-03-10` },
      ]);

      clock.set('2026-03-10T20:59:59Z');
      const late = await refusal(daily.claim(player, 'telegram'));
      expect(late.code).toBe('ALREADY_CLAIMED');
      expect(late.details).toMatchObject({ nextClaimAt: '2026-03-10T21:00:00.000Z', streak: 1 });

      clock.set('2026-03-10T21:00:00Z');
      const next = await daily.claim(player, 'telegram');
      expect(next).toMatchObject({ date: '2026-03-11', streak: 2, xp: 110, coins: 50 });
      expect(await ledgerOf(player)).toHaveLength(2);
      expect(await accounts.get(player)).toMatchObject({ xp: 210, coins: 100 });
    });

    it('a seven-day streak unlocks daily_streak_7 once; a missed day starts over', async () => {
      const player = await accounts.create();
      const start = Date.parse('2026-04-01T09:00:00Z');
      const day = 86_400_000;
      const streaks: number[] = [];
      const unlocks: string[][] = [];
      for (let i = 0; i < 8; i++) {
        clock.set(start + i * day);
        const result = await daily.claim(player, 'telegram');
        streaks.push(result.streak);
        unlocks.push(result.award.unlocked);
      }
      expect(streaks).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(unlocks[6]).toEqual(['daily_streak_7']);
      expect(unlocks.flat().filter((code) => code === 'daily_streak_7')).toHaveLength(1);
      clock.set(start + 10 * day);
      expect((await daily.claim(player, 'telegram')).streak).toBe(1);
    });
  });
});
