import { DashboardStatsQuery, lagBinStartMs } from '@ttfd/api';
import { ManualClock } from '@ttfd/clock';
import type { AppConfig } from '@ttfd/config';
import { AccountsService } from '@ttfd/economy';
import { useEconomyApp } from '../support/economy-app';
import { StatementLog } from '../support/statement-log';

/**
 * The dashboard's overview (players, linked players, XP today, the throughput series) in one
 * statement, with the same answer as the figures counted from the rows themselves.
 */
/** A number within the 9%-wide counter bin that holds `lagMs` (rounded, as the answer is). */
function inBinOf(lagMs: number) {
  const bin = Math.floor((8 * Math.log(1 + lagMs)) / Math.LN2);
  const [low, high] = [Math.floor(lagBinStartMs(bin)), Math.ceil(lagBinStartMs(bin + 1))];
  return {
    asymmetricMatch: (value: unknown) => typeof value === 'number' && value >= low && value <= high,
    toAsymmetricMatcher: () => `a number in [${low}, ${high}]`,
  };
}

describe('The community overview in one statement', () => {
  // 00:30 in Moscow: yesterday's XP (an hour earlier, 23:30 Moscow) is not today's.
  const clock = new ManualClock('2026-03-09T21:30:00Z');
  const world = useEconomyApp({ clock });
  const log = new StatementLog();
  let overview: DashboardStatsQuery;

  beforeAll(async () => {
    overview = new DashboardStatsQuery(world.db, clock, {
      communityTimeZone: 'Europe/Moscow',
    } as AppConfig);
    const accounts = world.get(AccountsService);
    const [a, b, c] = [await accounts.create(), await accounts.create(), await accounts.create()];
    await world.db.query(
      `INSERT INTO identities (account_id, platform, external_id)
       VALUES ($1, 'telegram', '1'), ($1, 'discord', '2'), ($2, 'telegram', '3')`,
      [a, b],
    );
    clock.advance(-3_600_000);
    await world.earn(a, 100);
    clock.advance(3_600_000);
    await world.earn(b, 30);
    await world.earn(c, 12);
    // Completed events over the last hour: (minutes ago, lag ms, attempts); attempts 0 has no lag.
    const events: [number, number, number][] = [
      [1, 100, 1],
      [2, 300, 1],
      [3, 200, 2],
      [4, 5_000, 0],
      [12, 1_000, 1],
      [50, 400, 1],
      [70, 900, 1],
    ];
    const now = clock.now().getTime();
    for (const [minutesAgo, lag, attempts] of events) {
      const completed = new Date(now - minutesAgo * 60_000);
      await world.db.query(
        `INSERT INTO sync_events (type, source, account_id, payload, status, attempts,
                                  created_at, updated_at, completed_at, next_attempt_at)
         VALUES ('rank.changed', 'discord', $1, '{}', 'completed', $2, $3, $4, $4, $3)`,
        [a, attempts, new Date(completed.getTime() - lag), completed],
      );
    }
    log.start();
  });

  afterAll(() => {
    log.stop();
  });

  it('answers players, linked players, XP today and the series in one statement', async () => {
    const { value: answer, sql } = await log.during(() => overview.overview(1, 10));
    expect(sql).toHaveLength(1);
    expect(answer).toMatchObject({
      players: 3,
      linkedPlayers: 1,
      linkedShare: 1 / 3,
      xpAwardedToday: 42,
      bucketMinutes: 10,
    });
    // 21:30 is a bucket start: the last bucket is [21:30, 21:40), holding nothing before now.
    const at = (minutesAgo: number) => new Date(clock.now().getTime() - minutesAgo * 60_000);
    // Lags come from the counters' bins (8 per doubling): the p95 lands in the exact one's bin.
    expect(answer.series).toEqual([
      { at: at(50), completed: 1, lagP95Ms: inBinOf(400) },
      { at: at(40), completed: 0, lagP95Ms: null },
      { at: at(30), completed: 0, lagP95Ms: null },
      { at: at(20), completed: 1, lagP95Ms: inBinOf(1_000) },
      { at: at(10), completed: 4, lagP95Ms: inBinOf(300) },
      { at: at(0), completed: 0, lagP95Ms: null },
    ]);
  });

  it('answers an empty community with zeros, not a division by zero', async () => {
    await world.db.query(`DELETE FROM community_counts`);
    const answer = await overview.overview(1, 60);
    expect(answer).toMatchObject({ players: 0, linkedPlayers: 0, linkedShare: 0 });
    expect(answer.series).toHaveLength(1);
  });
});
