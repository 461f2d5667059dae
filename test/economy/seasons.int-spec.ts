import { ScheduleModule, SchedulerRegistry } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { ManualClock } from '@ttfd/clock';
import {
  AccountsService,
  EconomyError,
  LedgerService,
  ledgerDrift,
  ProfileService,
  SEASON_CRON_JOB,
  SeasonScheduler,
  SeasonSchedulerModule,
  SeasonsService,
  SeasonStandings,
} from '@ttfd/economy';
import { useEconomyApp } from '../support/economy-app';

describe('seasons on Postgres', () => {
  let dataSource: DataSource;
  let accounts: AccountsService;
  let ledger: LedgerService;
  let seasons: SeasonsService;
  let standings: SeasonStandings;
  let profiles: ProfileService;
  let scheduler: SeasonScheduler;
  const clock = new ManualClock('2026-01-15T12:00:00Z');

  const world = useEconomyApp({
    clock,
    // Prizes above the players' award bound: system awards have their own.
    env: {
      COMMUNITY_TIMEZONE: 'Europe/Moscow',
      SEASON_PRIZES: '500,300,100',
      AWARD_MAX_DELTA: '400',
      SYSTEM_AWARD_MAX_DELTA: '1000',
    },
    imports: [ScheduleModule.forRoot(), SeasonSchedulerModule],
  });

  beforeAll(() => {
    dataSource = world.db;
    accounts = world.get(AccountsService);
    ledger = world.get(LedgerService);
    seasons = world.get(SeasonsService);
    standings = world.get(SeasonStandings);
    profiles = world.get(ProfileService);
    scheduler = world.get(SeasonScheduler);
  });

  const earn = world.earn;

  it('the scheduler registers its cron job and opens a season at start, from the clock', async () => {
    await scheduler.tick();
    expect(world.get(SchedulerRegistry).doesExist('cron', SEASON_CRON_JOB)).toBe(true);
    const open = await seasons.current();
    expect(open).toMatchObject({
      status: 'open',
      startsAt: new Date('2026-01-15T12:00:00Z'),
      // Midnight of February 1st in Moscow.
      endsAt: new Date('2026-01-31T21:00:00Z'),
      name: '2026-01-15 – 2026-01-31',
    });
    // Opening again (even concurrently) keeps the one open season.
    const again = await Promise.all([seasons.ensureOpen(), seasons.ensureOpen()]);
    expect(again.map((s) => s.id)).toEqual([open!.id, open!.id]);
    const [{ n }] = await dataSource.query(`SELECT count(*)::int AS n FROM seasons`);
    expect(n).toBe(1);
  });

  it('ranks by positive XP earned in the window, ties to whoever got there first, with keyset pages', async () => {
    const season = (await seasons.current())!;
    const [early, a, b, c, d, e] = await Promise.all(
      Array.from({ length: 6 }, () => accounts.create()),
    );
    // Coins only: no season score (membership is the season lock's, not the clock's, so an
    // entry stamped before the window would count: see season-close-race.int-spec.ts).
    await ledger.award({
      accountId: early,
      coins: 50,
      reason: 'daily_reward',
      source: 'telegram',
      idempotencyKey: `t:season:coins:${early}`,
    });
    clock.set('2026-01-16T10:00:00Z');
    await earn(a, 300);
    await earn(b, 200);
    clock.set('2026-01-16T11:00:00Z');
    await earn(c, 300); // ties with a, but later
    await earn(d, 50);
    await earn(e, 400);
    // A deduction does not reduce season standings (positive XP earned).
    await ledger.adjust({
      accountId: e,
      xp: -400,
      reason: 'admin_adjustment',
      source: 'admin',
      idempotencyKey: `t:season:adj:${e}`,
    });
    const page1 = await standings.standings('current', 2);
    expect(page1.season.id).toBe(season.id);
    expect(page1.entries.map((x) => [x.place, x.accountId, x.xp])).toEqual([
      [1, e, 400],
      [2, a, 300],
    ]);
    expect(page1.hasNextPage).toBe(true);
    const page2 = await standings.standings(season.id, 2, page1.endCursor);
    expect(page2.entries.map((x) => [x.place, x.accountId])).toEqual([
      [3, c],
      [4, b],
    ]);
    const page3 = await standings.standings(season.id, 2, page2.endCursor);
    expect(page3.entries.map((x) => [x.place, x.accountId])).toEqual([[5, d]]);
    expect(page3.hasNextPage).toBe(false);
    expect(await standings.placeOf(c)).toEqual({ seasonId: season.id, place: 3, xp: 300 });
    expect(await standings.placeOf(early)).toBeNull();

    const profile = await profiles.get(a);
    expect(profile).toMatchObject({
      accountId: a,
      xp: 300,
      coins: 0,
      rank: { id: 1, nameEn: 'Rookie', nameRu: 'Новичок' },
      nextRank: { id: 2, minXp: 1000 },
      progress: { xpIntoRank: 300, xpForNextRank: 1000, percent: 30 },
      achievements: [],
      season: { seasonId: season.id, place: 2, xp: 300 },
    });

    const bad = await standings.standings('current', 2, 'nonsense').catch((x: unknown) => x);
    expect((bad as EconomyError).code).toBe('INVALID_CURSOR');
    const missing = await standings.standings(999, 2).catch((x: unknown) => x);
    expect((missing as EconomyError).code).toBe('SEASON_NOT_FOUND');
  });

  it('closes at the end, pays the top three once even when closed twice or concurrently, opens the next', async () => {
    const season = (await seasons.current())!;
    const top = (await standings.standings(season.id, 3)).entries.map((x) => x.accountId);
    const coinsBefore = await Promise.all(top.map(async (id) => (await accounts.get(id))!.coins));

    // Not yet ended: the roll-over keeps it open.
    clock.set('2026-01-31T20:59:59Z');
    expect((await seasons.rollOver()).closed).toEqual([]);

    clock.set('2026-01-31T21:00:05Z');
    const [concurrent1, concurrent2] = await Promise.all([
      seasons.close(season.id),
      seasons.close(season.id),
    ]);
    expect([concurrent1.closedNow, concurrent2.closedNow].sort()).toEqual([false, true]);
    const first = concurrent1.closedNow ? concurrent1 : concurrent2;
    expect(first.prizes.map((p) => [p.place, p.accountId, p.coins])).toEqual([
      [1, top[0], 500],
      [2, top[1], 300],
      [3, top[2], 100],
    ]);
    const second = await seasons.close(season.id);
    expect(second.closedNow).toBe(false);
    expect(second.prizes.map((p) => [p.place, p.accountId, p.coins])).toEqual(
      first.prizes.map((p) => [p.place, p.accountId, p.coins]),
    );
    expect(second.season).toMatchObject({
      status: 'closed',
      endsAt: new Date('2026-01-31T21:00:00Z'),
    });

    const prizeRows: { key: string; account_id: string; coins: string; reason: string }[] =
      await dataSource.query(
        `SELECT idempotency_key AS key, account_id, coins_delta AS coins, reason FROM ledger_entries
          WHERE idempotency_key LIKE $1 ORDER BY idempotency_key`,
        [`season:${season.id}:prize:%`],
      );
    expect(prizeRows.map((r) => [r.key, String(r.account_id), Number(r.coins), r.reason])).toEqual([
      [`season:${season.id}:prize:1`, top[0], 500, 'season_prize'],
      [`season:${season.id}:prize:2`, top[1], 300, 'season_prize'],
      [`season:${season.id}:prize:3`, top[2], 100, 'season_prize'],
    ]);
    const coinsAfter = await Promise.all(top.map(async (id) => (await accounts.get(id))!.coins));
    expect(coinsAfter.map((c, i) => c - coinsBefore[i])).toEqual([500, 300, 100]);
    // The same 500 coins from a player-facing source stay bounded by AWARD_MAX_DELTA.
    const tooLarge = await ledger
      .award({
        accountId: top[0],
        coins: 500,
        reason: 'daily_reward',
        source: 'telegram',
        idempotencyKey: `t:season:too-large`,
      })
      .catch((x: unknown) => x);
    expect((tooLarge as EconomyError).code).toBe('AMOUNT_TOO_LARGE');
    const [{ n }] = await dataSource.query(
      `SELECT count(*)::int AS n FROM account_achievements WHERE achievement_code = 'season_top_3'`,
    );
    expect(n).toBe(3);

    // The schedule opens the next season where this one ended.
    const rolled = await seasons.rollOver();
    expect(rolled.closed).toEqual([]);
    expect(rolled.open).toMatchObject({
      startsAt: new Date('2026-01-31T21:00:00Z'),
      endsAt: new Date('2026-02-28T21:00:00Z'),
      status: 'open',
    });
    expect(await ledgerDrift(dataSource)).toEqual([]);
  });

  it('the scheduler tick closes an ended season and opens the next', async () => {
    const open = (await seasons.current())!;
    const winner = await accounts.create();
    clock.set('2026-02-10T10:00:00Z');
    await earn(winner, 10);
    clock.set('2026-02-28T21:00:00Z');
    await scheduler.tick();
    expect(await seasons.get(open.id)).toMatchObject({ status: 'closed' });
    expect((await accounts.get(winner))!.coins).toBe(500);
    expect(await seasons.current()).toMatchObject({
      startsAt: new Date('2026-02-28T21:00:00Z'),
      endsAt: new Date('2026-03-31T21:00:00Z'),
    });
  });

  it('an admin may close the open season early; its window then ends at that moment', async () => {
    const open = (await seasons.current())!;
    clock.set('2026-03-05T12:00:00Z');
    const result = await seasons.close(open.id);
    expect(result.season).toMatchObject({
      status: 'closed',
      endsAt: new Date('2026-03-05T12:00:00Z'),
      closedAt: new Date('2026-03-05T12:00:00Z'),
    });
    expect(result.prizes).toEqual([]);
    expect((await seasons.ensureOpen()).startsAt).toEqual(new Date('2026-03-05T12:00:00Z'));
    const missing = await seasons.close(12345).catch((x: unknown) => x);
    expect((missing as EconomyError).code).toBe('SEASON_NOT_FOUND');
  });
});
