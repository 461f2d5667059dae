/**
 * XP rules on Postgres: double-XP events applied to the games and the daily (XP only, never
 * coins; a game pays what it showed at its start), a change made on one app instance in effect
 * on another without a restart (the version check), refusals that change nothing, and rank-up
 * announcements: once per rank-up, batched into one message per target, never for a hidden
 * player.
 */
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { ManualClock } from '@ttfd/clock';
import {
  AccountsService,
  AnnouncementChannel,
  economyTestingModule,
  ledgerDrift,
  RankAnnouncements,
  XpRules,
  XpRulesAdmin,
  XpRulesError,
} from '@ttfd/economy';
import {
  correctPosition,
  DailyService,
  GamesModule,
  GUESS_REWARDS,
  GuessService,
  QUIZ_REWARD_XP,
  quizQuestion,
  QuizService,
  QuizState,
  RandomSource,
  SeededRandom,
  WheelService,
  WHEEL_PRIZES,
} from '@ttfd/games';
import { RankUpListeners } from '@ttfd/sync';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { waitFor } from '../support/wait-for';

describe('XP rules', () => {
  let database: TestDatabase;
  let first: INestApplication;
  let second: INestApplication;
  let db: DataSource;
  // 15:00 in Moscow.
  const clock = new ManualClock('2026-12-05T12:00:00Z');

  async function instance(): Promise<INestApplication> {
    const moduleRef = await Test.createTestingModule({
      imports: [
        economyTestingModule({
          databaseUrl: database.url,
          clock,
          env: { COMMUNITY_TIMEZONE: 'Europe/Moscow', XP_RULES_REFRESH_MS: '100' },
          imports: [GamesModule],
        }),
      ],
    })
      .overrideProvider(RandomSource)
      .useValue(new SeededRandom(7))
      .compile();
    const app = moduleRef.createNestApplication();
    await app.init();
    return app;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    first = await instance();
    second = await instance();
    db = first.get(DataSource);
  });

  afterAll(async () => {
    await first?.close();
    await second?.close();
    await database?.drop();
  });

  afterEach(async () => {
    expect(await ledgerDrift(db)).toEqual([]);
  });

  async function entries(accountId: string) {
    const rows: { xp: string; coins: string; reason: string; metadata: Record<string, unknown> }[] =
      await db.query(
        `SELECT xp_delta AS xp, coins_delta AS coins, reason, metadata FROM ledger_entries
          WHERE account_id = $1 ORDER BY id`,
        [accountId],
      );
    return rows.map((r) => ({ ...r, xp: Number(r.xp), coins: Number(r.coins) }));
  }

  async function secretOf(sessionId: string): Promise<number> {
    const rows: { secret: number }[] = await db.query(
      `SELECT (state->>'secret')::int AS secret FROM game_sessions WHERE id = $1`,
      [sessionId],
    );
    return rows[0].secret;
  }

  /** Waits until the second instance holds the stored version (its periodic check). */
  async function secondCaughtUp(): Promise<void> {
    const stored = Number(
      ((await db.query(`SELECT version FROM xp_rule_settings`)) as { version: string }[])[0]
        .version,
    );
    await waitFor(() => second.get(XpRules).current().version === stored, {
      what: 'the second instance to load the new rules',
      timeoutMs: 5_000,
    });
  }

  it('a double-XP event made on one instance doubles game XP on the other, never coins', async () => {
    const admin = first.get(XpRulesAdmin);
    const overview = await admin.createEvent({
      name: 'Weekend x2',
      multiplier: 2,
      sources: ['games', 'daily'],
      startsAt: '2026-12-05T14:00', // Moscow time: 11:00Z, running now
      endsAt: '2026-12-05T18:00',
    });
    expect(overview.events[0]).toMatchObject({
      name: 'Weekend x2',
      startsAt: new Date('2026-12-05T11:00:00Z'),
      endsAt: new Date('2026-12-05T15:00:00Z'),
    });
    await secondCaughtUp();

    const accounts = second.get(AccountsService);
    const guess = second.get(GuessService);
    const player = await accounts.create();
    const game = await guess.start(player);
    // Stated before play: the multiplied amounts and the event.
    expect(game.rewardXp).toEqual({ best: GUESS_REWARDS[0] * 2, worst: GUESS_REWARDS[6] * 2 });
    expect(game.xpEvent).toMatchObject({ name: 'Weekend x2', multiplier: 2 });
    const won = await guess.guess(
      player,
      game.sessionId,
      await secretOf(game.sessionId),
      'telegram',
    );
    expect(won.rewardXp).toBe(GUESS_REWARDS[0] * 2);

    const quiz = second.get(QuizService);
    const question = await quiz.start(player);
    expect(question.rewardXp).toBe(QUIZ_REWARD_XP * 2);

    const daily = await second.get(DailyService).claim(player, 'telegram');
    expect(daily).toMatchObject({ xp: 200, coins: 50 });

    expect(await entries(player)).toEqual([
      {
        xp: GUESS_REWARDS[0] * 2,
        coins: 0,
        reason: 'game_guess',
        metadata: expect.objectContaining({
          rule: 'xp',
          source: 'games',
          base: GUESS_REWARDS[0],
          multiplier: 2,
          event: expect.objectContaining({ name: 'Weekend x2', multiplier: 2 }),
        }),
      },
      {
        xp: 200,
        coins: 50,
        reason: 'daily_reward',
        metadata: expect.objectContaining({ source: 'daily', base: 100, multiplier: 2 }),
      },
    ]);
  });

  it('the wheel doubles an XP prize and never a coin prize', async () => {
    const accounts = first.get(AccountsService);
    const wheel = first.get(WheelService);
    const seen = { xp: false, coins: false };
    for (let i = 0; i < 12 && !(seen.xp && seen.coins); i++) {
      const player = await accounts.create();
      const spin = await wheel.spin(player, 'telegram');
      const [row] = await entries(player);
      if (spin.prize.kind === 'xp') {
        seen.xp = true;
        expect(row).toMatchObject({ xp: spin.baseAmount * 2, coins: 0 });
        expect(row.metadata).toMatchObject({ base: spin.baseAmount, multiplier: 2 });
      } else {
        seen.coins = true;
        expect(WHEEL_PRIZES.some((p) => p.kind === 'coins' && p.amount === row.coins)).toBe(true);
        expect(row.xp).toBe(0);
      }
    }
    expect(seen).toEqual({ xp: true, coins: true });
  });

  it('a game pays what it showed at its start, even after the event is removed', async () => {
    const accounts = first.get(AccountsService);
    const quiz = first.get(QuizService);
    const player = await accounts.create();
    const question = await quiz.start(player);
    expect(question.rewardXp).toBe(QUIZ_REWARD_XP * 2);
    const admin = first.get(XpRulesAdmin);
    for (const event of (await admin.overview()).events) await admin.deleteEvent(event.id);
    const [{ state }]: { state: QuizState }[] = await db.query(
      `SELECT state FROM game_sessions WHERE id = $1`,
      [question.sessionId],
    );
    const right = correctPosition(quizQuestion(state.questionId)!, state.order);
    const result = await quiz.answer(player, question.sessionId, right, 'telegram');
    expect(result).toMatchObject({ correct: true, rewardXp: QUIZ_REWARD_XP * 2 });
    // A new game after the removal shows (and pays) the plain amount.
    expect((await quiz.start(player)).rewardXp).toBe(QUIZ_REWARD_XP);
    expect((await first.get(GuessService).start(player)).xpEvent).toBeNull();
  });

  it('a global multiplier changed on one instance pays on the other within the refresh', async () => {
    await first.get(XpRulesAdmin).setGlobalMultiplier(1.5);
    await secondCaughtUp();
    clock.advance(24 * 3_600_000);
    const player = await second.get(AccountsService).create();
    const daily = await second.get(DailyService).claim(player, 'telegram');
    expect(daily.xp).toBe(150);
    expect((await entries(player))[0].metadata).toMatchObject({ global: 1.5, multiplier: 1.5 });
    await first.get(XpRulesAdmin).setGlobalMultiplier(1);
    await secondCaughtUp();
  });

  it('refuses bad rules with a clear error and changes nothing', async () => {
    const admin = first.get(XpRulesAdmin);
    const before = (await admin.overview()).version;
    // One at a time: each refusal is checked on its own, none races another.
    const refusals: [() => Promise<unknown>, RegExp][] = [
      [() => admin.setMultiplier('channel', '123', 2), /17-20 digits/],
      [() => admin.setMultiplier('guild', '100000000000000001', 2), /kind must be channel or role/],
      [() => admin.setMultiplier('role', '100000000000000001', 11), /from 0 \(no XP\) to 10/],
      [() => admin.setMultiplier('role', '100000000000000001', 1.234), /two decimals/],
      [() => admin.setGlobalMultiplier(-1), /from 0 \(no XP\) to 10/],
      [
        () =>
          admin.createEvent({
            name: 'x',
            multiplier: 2,
            sources: ['chess'],
            startsAt: '2026-12-10T10:00',
            endsAt: '2026-12-10T12:00',
          }),
        /unknown source\(s\) chess/,
      ],
      [
        () =>
          admin.createEvent({
            name: 'x',
            multiplier: 2,
            sources: ['games'],
            startsAt: '2026-12-10T12:00',
            endsAt: '2026-12-10T10:00',
          }),
        /endsAt must be after startsAt/,
      ],
      [
        () =>
          admin.createEvent({
            name: 'x',
            multiplier: 2,
            sources: ['games'],
            startsAt: 'next friday',
            endsAt: '2026-12-10T10:00',
          }),
        /startsAt must be a time like 2026-12-31T18:00 \(read in Europe\/Moscow\)/,
      ],
      [
        () => admin.setAnnouncements({ enabled: true }),
        /need a discordChannelId or a telegramChatId/,
      ],
      [
        () => admin.setAnnouncements({ templateEn: '{player} is {rnak}' }),
        /unknown placeholder\(s\) \{rnak\}/,
      ],
    ];
    for (const [attempt, message] of refusals) {
      const error = await attempt().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(XpRulesError);
      expect((error as XpRulesError).code).toBe('INVALID_XP_RULE');
      expect((error as Error).message).toMatch(message);
    }
    await expect(admin.deleteEvent('999999')).rejects.toMatchObject({ code: 'XP_EVENT_NOT_FOUND' });
    expect((await admin.overview()).version).toBe(before);
  });

  describe('rank-up announcements', () => {
    const posted: { target: string; text: string }[] = [];
    const channel: AnnouncementChannel = {
      platform: 'telegram',
      post: async (target, text) => {
        posted.push({ target, text });
      },
    };

    async function player(name: string, locale: string, hidden = false): Promise<string> {
      const id = await first.get(AccountsService).create();
      await db.query(
        `INSERT INTO identities (account_id, platform, external_id, display_name, locale)
         VALUES ($1, 'telegram', $2, $3, $4)`,
        [id, String(9_000_000 + Number(id)), name, locale],
      );
      if (hidden)
        await db.query(`UPDATE accounts SET leaderboard_hidden = true WHERE id = $1`, [id]);
      return id;
    }

    it('are off by default: a rank-up records nothing', async () => {
      const ann = await player('Ann', 'en');
      await first
        .get(RankUpListeners)
        .rankedUp({ eventId: '1', accountId: ann, fromRank: 1, toRank: 2 });
      expect(await db.query(`SELECT 1 FROM rank_announcements`)).toEqual([]);
    });

    it('are sent once per rank-up, batched into one message, never for a hidden player', async () => {
      await first.get(XpRulesAdmin).setAnnouncements({
        enabled: true,
        telegramChatId: '-1001234567',
        templateEn: '{player} is now {rank} ({platform})',
      });
      const announcements = first.get(RankAnnouncements);
      announcements.register(channel);
      const listeners = first.get(RankUpListeners);
      const ann = await player('Ann', 'en');
      const boris = await player('Борис', 'ru');
      const ghost = await player('Ghost', 'en', true);
      await listeners.rankedUp({ eventId: '10', accountId: ann, fromRank: 1, toRank: 2 });
      await listeners.rankedUp({ eventId: '11', accountId: boris, fromRank: 2, toRank: 3 });
      await listeners.rankedUp({ eventId: '12', accountId: ghost, fromRank: 1, toRank: 2 });
      // The same event processed again (a retry): still one announcement.
      await listeners.rankedUp({ eventId: '10', accountId: ann, fromRank: 1, toRank: 2 });

      await announcements.sendPending();
      await announcements.sendPending();
      expect(posted).toEqual([
        {
          target: '-1001234567',
          text: 'Ann is now Apprentice (Telegram)\n🎉 Борис получает ранг «Искатель»! (Telegram)',
        },
      ]);
      announcements.unregister('telegram');
    });
  });
});
