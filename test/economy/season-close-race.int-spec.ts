/**
 * Season membership decided by a lock (issue 16): an award still in flight when the season
 * closes is in the podium's snapshot, and every read of a closed season is that snapshot.
 * The award is held open across the close with a barrier, never a sleep.
 */
import { DataSource } from 'typeorm';
import { ManualClock } from '@ttfd/clock';
import { Tx } from '@ttfd/database';
import {
  AccountsService,
  LedgerService,
  ledgerDrift,
  SeasonsService,
  SeasonStandings,
} from '@ttfd/economy';
import { useEconomyApp } from '../support/economy-app';
import { waitFor } from '../support/test-app';

describe('a season close races the awards in flight', () => {
  let db: DataSource;
  let accounts: AccountsService;
  let ledger: LedgerService;
  let seasons: SeasonsService;
  let seasonStandings: SeasonStandings;
  const clock = new ManualClock('2026-05-10T12:00:00Z');
  let key = 0;

  const world = useEconomyApp({
    clock,
    env: { COMMUNITY_TIMEZONE: 'UTC', SEASON_PRIZES: '500,300,100' },
  });

  beforeAll(() => {
    db = world.db;
    accounts = world.get(AccountsService);
    ledger = world.get(LedgerService);
    seasons = world.get(SeasonsService);
    seasonStandings = world.get(SeasonStandings);
  });

  const earn = world.earn;

  /** Someone waits for a lock other than a row lock: the close, for the award in flight. */
  const closeIsWaiting = async () => {
    const [{ n }]: { n: number }[] = await db.query(
      `SELECT count(*)::int AS n FROM pg_locks
        WHERE locktype = 'advisory' AND NOT granted AND database = (
              SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    return n > 0;
  };

  /**
   * Starts an award of `xp` to `accountId` inside a transaction that stays open until
   * `release()`: the award is stamped (by the app clock) and holds its locks, not committed.
   */
  function awardInFlight(accountId: string, xp: number) {
    let release!: () => void;
    const barrier = new Promise<void>((resolve) => (release = resolve));
    let awarded!: () => void;
    const stamped = new Promise<void>((resolve) => (awarded = resolve));
    const committed = db.transaction(async (manager) => {
      await ledger.award(
        {
          accountId,
          xp,
          reason: 'discord_message',
          source: 'discord',
          idempotencyKey: `t:race:${++key}`,
        },
        new Tx(manager),
      );
      awarded();
      await barrier;
    });
    return { stamped, committed, release };
  }

  async function checkClosedSeason(seasonId: number) {
    const season = await seasons.get(seasonId);
    expect(season.status).toBe('closed');
    // The season's ledger rows, by the season each row recorded under the lock.
    const fromLedger: { account_id: string; xp: string }[] = await db.query(
      `SELECT account_id, sum(xp_delta) AS xp FROM ledger_entries
        WHERE season_id = $1 AND xp_delta > 0 GROUP BY account_id ORDER BY sum(xp_delta) DESC`,
      [seasonId],
    );
    const standings = (await seasonStandings.standings(seasonId, 100)).entries;
    const byAccount = (rows: [string, number][]) =>
      [...rows].sort(([a], [b]) => Number(a) - Number(b));
    expect(byAccount(standings.map((e) => [e.accountId, e.xp]))).toEqual(
      byAccount(fromLedger.map((r) => [String(r.account_id), Number(r.xp)])),
    );
    const xps = standings.map((e) => e.xp);
    expect(xps).toEqual([...xps].sort((a, b) => b - a));
    const prizes: { account_id: string; coins: string; key: string }[] = await db.query(
      `SELECT account_id, coins_delta AS coins, idempotency_key AS key FROM ledger_entries
        WHERE idempotency_key LIKE $1 ORDER BY idempotency_key`,
      [`season:${seasonId}:prize:%`],
    );
    expect(prizes.map((p) => [String(p.account_id), Number(p.coins)])).toEqual(
      standings.slice(0, 3).map((e, i) => [e.accountId, [500, 300, 100][i]]),
    );
    return standings;
  }

  it.each([
    ['the scheduled close (the season has ended)', '2026-05-31T23:59:59Z', '2026-06-01T00:00:01Z'],
    ['an admin closing the season early', '2026-06-10T12:00:00Z', '2026-06-10T12:00:00Z'],
  ])(
    'holds %s until the award in flight commits: payout = frozen standings = ledger rows',
    async (_what, awardAt, closeAt) => {
      const open = await seasons.ensureOpen();
      const [a1, a2, a3, late] = await Promise.all(
        Array.from({ length: 4 }, () => accounts.create()),
      );
      await earn(a1, 300);
      await earn(a2, 200);
      await earn(a3, 100);

      // Stamped before the boundary by the app clock, committed after the close began.
      clock.set(awardAt);
      const inFlight = awardInFlight(late, 1000);
      await inFlight.stamped;
      clock.set(closeAt);
      let settled = false;
      const closing = (
        closeAt === awardAt ? seasons.close(open.id) : seasons.rollOver().then((r) => r.closed[0])
      ).finally(() => (settled = true));
      await waitFor(async () => settled || (await closeIsWaiting()), { what: 'the close to run' });
      inFlight.release();
      await inFlight.committed;
      const result = (await closing)!;
      expect(result.closedNow).toBe(true);

      const mine = new Set([late, a1, a2, a3]);
      const frozen = (await checkClosedSeason(open.id)).filter((e) => mine.has(e.accountId));
      expect(frozen.map((e) => [e.accountId, e.xp])).toEqual([
        [late, 1000],
        [a1, 300],
        [a2, 200],
        [a3, 100],
      ]);
      expect(result.prizes.map((p) => p.accountId)).toContain(late);

      // Every later award counts in the next season, which the close opened.
      const next = (await seasons.current())!;
      expect(next.id).not.toBe(open.id);
      await earn(a3, 10_000);
      expect(await seasonStandings.placeOf(a3)).toEqual({
        seasonId: next.id,
        place: 1,
        xp: 10_000,
      });
      // The closed season's standings stay frozen whatever the ledger does later.
      expect(await seasonStandings.placeOf(a3, open.id)).toMatchObject({
        seasonId: open.id,
        xp: 100,
      });
      expect((await seasonStandings.standings(open.id, 100)).entries).toEqual(
        await checkClosedSeason(open.id),
      );
      expect(await ledgerDrift(db)).toEqual([]);
    },
  );

  it('many awards racing a close: each counts in exactly one season, as its ledger row says', async () => {
    const open = await seasons.ensureOpen();
    const players = await Promise.all(Array.from({ length: 10 }, () => accounts.create()));
    const awards = Array.from({ length: 200 }, (_, i) => earn(players[i % 10], 1 + (i % 7)));
    const close = seasons.close(open.id);
    await Promise.all([...awards, close]);
    const next = (await seasons.current())!;
    for (const seasonId of [open.id, next.id]) {
      const scores: { account_id: string; xp: string }[] = await db.query(
        `SELECT account_id, xp FROM season_scores WHERE season_id = $1 ORDER BY account_id`,
        [seasonId],
      );
      const ledgerSums: { account_id: string; xp: string }[] = await db.query(
        `SELECT account_id, sum(xp_delta) AS xp FROM ledger_entries
          WHERE season_id = $1 AND xp_delta > 0 GROUP BY account_id ORDER BY account_id`,
        [seasonId],
      );
      expect(scores.map((r) => [r.account_id, r.xp])).toEqual(
        ledgerSums.map((r) => [r.account_id, r.xp]),
      );
    }
    await checkClosedSeason(open.id);
    const [{ n }]: { n: number }[] = await db.query(
      `SELECT count(*)::int AS n FROM ledger_entries
        WHERE account_id = ANY($1::bigint[]) AND season_id IS NULL`,
      [players],
    );
    expect(n).toBe(0);
  });
});
