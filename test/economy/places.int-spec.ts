import { DataSource } from 'typeorm';
import { ManualClock } from '@ttfd/clock';
import {
  ALL_TIME_PLACE,
  AccountsService,
  LeaderboardService,
  LedgerService,
  ProfileService,
  SeasonsService,
  seasonPlace,
  SeasonMedians,
  SeasonMembership,
  SeasonStandings,
} from '@ttfd/economy';
import { useEconomyApp } from '../support/economy-app';

/**
 * Places (ALL_TIME_PLACE, seasonPlace): whatever SQL moves XP (awards up and down, ties at the
 * same instant, a merge, a deleted account, a rewritten score, a bulk insert), every place the
 * services give equals the row's position in the pages' order, whichever side of the median the
 * player is on and whatever median the place is given (a stale one), and each is counted on index
 * ranges only (no scan of the whole board). The season's participant counter (the side below the
 * median subtracts from it) equals its rows after every write.
 */
describe('places', () => {
  let db: DataSource;
  let accounts: AccountsService;
  let ledger: LedgerService;
  let seasons: SeasonsService;
  let standings: SeasonStandings;
  let leaderboard: LeaderboardService;
  let profiles: ProfileService;
  let medians: SeasonMedians;
  const clock = new ManualClock('2026-03-10T12:00:00Z');

  const world = useEconomyApp({ clock });

  beforeAll(() => {
    db = world.db;
    accounts = world.get(AccountsService);
    ledger = world.get(LedgerService);
    seasons = world.get(SeasonsService);
    standings = world.get(SeasonStandings);
    leaderboard = world.get(LeaderboardService);
    profiles = world.get(ProfileService);
    medians = world.get(SeasonMedians);
  });

  /** Per season: the participant counter's slots summed, and the rows it counts. */
  async function countersMatch(): Promise<void> {
    const rows: { season_id: number; counted: string | null; actual: string }[] = await db.query(
      `SELECT s.id AS season_id,
              (SELECT sum(n) FROM season_participant_counts c WHERE c.season_id = s.id) AS counted,
              (SELECT count(*) FROM season_scores o WHERE o.season_id = s.id) AS actual
         FROM seasons s`,
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(Number(row.counted ?? 0)).toBe(Number(row.actual));
  }

  /**
   * The season rule itself, for every player and every median it may be given (none, each XP
   * on the board, so ties at the median, and either side of all of them): the pages' position.
   */
  async function seasonPlacesMatchAnyMedian(seasonId: number): Promise<void> {
    const rows: { account_id: string; xp: string; place: string }[] = await db.query(
      `SELECT account_id, xp, row_number() OVER (ORDER BY xp DESC, reached_at, account_id) AS place
         FROM season_scores WHERE season_id = $1`,
      [seasonId],
    );
    const values = [...new Set(rows.map((row) => Number(row.xp)))];
    const candidates = [null, ...values, Math.min(...values) - 1, Math.max(...values) + 1];
    const counted: { account_id: string; median: string | null; place: string }[] = await db.query(
      `SELECT m.account_id, h.median, ${seasonPlace('h.median')} AS place
         FROM season_scores m CROSS JOIN unnest($2::bigint[]) h(median)
        WHERE m.season_id = $1`,
      [seasonId, candidates],
    );
    expect(counted).toHaveLength(rows.length * candidates.length);
    const expected = new Map(rows.map((row) => [String(row.account_id), Number(row.place)]));
    for (const row of counted) {
      expect({
        median: row.median,
        account: String(row.account_id),
        place: Number(row.place),
      }).toEqual({
        median: row.median,
        account: String(row.account_id),
        place: expected.get(String(row.account_id)),
      });
    }
  }

  /** Every live account's places from the services against a count of every player ahead. */
  async function placesMatch(): Promise<void> {
    const allTime: { id: string; place: string }[] = await db.query(
      `SELECT id, row_number() OVER (ORDER BY xp DESC, id) AS place
         FROM accounts WHERE merged_into IS NULL`,
    );
    for (const row of allTime) {
      expect((await leaderboard.standingOf(String(row.id)))?.place).toBe(Number(row.place));
    }
    const season = (await seasons.current())!;
    await seasonPlacesMatchAnyMedian(season.id);
    await countersMatch();
    // The services with no median yet, then with the board's: both sides of it are counted.
    for (const refresh of [false, true]) {
      if (refresh) {
        await medians.refresh(season.id);
        await medians.refresh('open');
        expect(medians.hint(season.id)).not.toBeNull();
      }
      await servicePlacesMatch(season.id);
    }
  }

  async function servicePlacesMatch(seasonId: number): Promise<void> {
    const inSeason: { account_id: string; place: string }[] = await db.query(
      `SELECT account_id, row_number() OVER (ORDER BY xp DESC, reached_at, account_id) AS place
         FROM season_scores WHERE season_id = $1`,
      [seasonId],
    );
    for (const row of inSeason) {
      const id = String(row.account_id);
      expect((await standings.placeOf(id))?.place).toBe(Number(row.place));
      expect((await profiles.get(id)).season?.place).toBe(Number(row.place));
    }
  }

  it("equal a count of the players ahead, in the pages' order, after a random workload", async () => {
    await seasons.ensureOpen();
    // A seeded generator: a failure is reproducible.
    let seed = 550;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const ids: string[] = [];
    for (let i = 0; i < 40; i += 1) ids.push(await accounts.create());
    const pick = () => ids[Math.floor(random() * ids.length)];
    // Awards of few sizes (so many ties), some at the same instant, some taking XP back.
    let key = 0;
    for (let i = 0; i < 300; i += 1) {
      if (i % 25 === 0) clock.advance(1000);
      const xp = [5, 10, 10, 20, -5][Math.floor(random() * 5)];
      const input = { accountId: pick(), xp, idempotencyKey: `place:${++key}` };
      if (xp > 0) await ledger.award({ ...input, reason: 'discord_message', source: 'discord' });
      else {
        // Refused when it would take the account below zero: that changes nothing either.
        await ledger
          .adjust({ ...input, reason: 'admin_adjustment', source: 'admin' })
          .catch((error: Error) => expect(error.message).toMatch(/below zero|negative/i));
      }
    }
    // Concurrent awards: many ties on one XP value, some at the same instant.
    await Promise.all(
      ids.slice(0, 33).map((accountId) =>
        ledger.award({
          accountId,
          xp: 10,
          reason: 'discord_message',
          source: 'discord',
          idempotencyKey: `place:${++key}`,
        }),
      ),
    );
    await placesMatch();

    // A merge by plain SQL: the absorbed account leaves the all-time board, its score moves.
    const [absorbed, survivor] = [ids[3], ids[4]];
    await db.transaction(async (manager) => {
      await manager.query(`UPDATE accounts SET merged_into = $2, xp = 0 WHERE id = $1`, [
        absorbed,
        survivor,
      ]);
      await manager.query(
        `UPDATE accounts SET xp = (SELECT COALESCE(sum(xp_delta), 0) FROM ledger_entries
                                    WHERE account_id = ANY($2::bigint[]))
          WHERE id = $1`,
        [survivor, [absorbed, survivor]],
      );
      await manager.query(`DELETE FROM season_scores WHERE account_id = $1`, [absorbed]);
    });
    // A score rewritten by an UPDATE of its account (a repair), one deleted, a bulk insert.
    await db.query(`UPDATE season_scores SET xp = xp + 3 WHERE account_id = $1`, [ids[5]]);
    await db.query(`DELETE FROM season_scores WHERE account_id = $1`, [ids[6]]);
    await db.query(
      `INSERT INTO accounts (xp, created_at, updated_at)
       SELECT 10 * g, now(), now() FROM generate_series(1, 20) g`,
    );
    const fresh = await accounts.create();
    await db.query(`DELETE FROM accounts WHERE id = $1`, [fresh]);
    await placesMatch();
  });

  it("are counted on index ranges only, two per place, on the median's side only", async () => {
    // After the workload above; vacuumed, so the visibility map lets the counts skip the heap.
    await db.query(`VACUUM accounts, season_scores`);
    const season = (await seasons.current())!;
    const [{ id }] = await db.query(
      `SELECT id FROM accounts WHERE merged_into IS NULL ORDER BY xp, id DESC LIMIT 1`,
    );
    const [last, first]: { account_id: string; xp: string }[] = await db.query(
      `(SELECT account_id, xp FROM season_scores WHERE season_id = $1 ORDER BY xp LIMIT 1)
       UNION ALL
       (SELECT account_id, xp FROM season_scores WHERE season_id = $1 ORDER BY xp DESC LIMIT 1)`,
      [season.id],
    );
    // A median between the two: the last player counts those behind, the first those ahead.
    const median = Number(first.xp);
    const inSeason = (accountId: string) =>
      `SELECT ${seasonPlace(String(median))} FROM season_scores m
        WHERE m.season_id = ${season.id} AND m.account_id = ${Number(accountId)}`;
    const plans = await db.transaction(async (manager) => {
      // The tables are small: without these the planner would rather read them whole.
      await manager.query(`SET LOCAL enable_seqscan = off`);
      await manager.query(`SET LOCAL enable_bitmapscan = off`);
      const plan = async (sql: string, analyze = false) =>
        (
          (await manager.query(
            `EXPLAIN ${analyze ? '(ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ' : ''}${sql}`,
          )) as { 'QUERY PLAN': string }[]
        )
          .map((row) => row['QUERY PLAN'])
          .join('\n');
      return [
        await plan(`SELECT ${ALL_TIME_PLACE} FROM accounts m WHERE m.id = ${Number(id)}`),
        await plan(inSeason(last.account_id), true),
        await plan(inSeason(first.account_id), true),
      ];
    });
    const [allTime, lastPlan, firstPlan] = plans;
    // The counts (alias o), whatever reads row m; in a season, the ones that ran.
    const counts = (plan: string, index: string) =>
      plan.match(new RegExp(`Index Only Scan using ${index} on \\w+ o(_\\d+)?\\s.*`, 'g')) ?? [];
    const ran = (plan: string) =>
      counts(plan, 'season_scores_rank_idx')
        .filter((line) => !line.includes('never executed'))
        .map((line) => line.match(/ o(_\d+)?\s/)![0].trim());
    expect(counts(allTime, 'accounts_xp_idx')).toHaveLength(2);
    for (const plan of [lastPlan, firstPlan]) {
      expect(counts(plan, 'season_scores_rank_idx')).toHaveLength(4);
    }
    // Ahead (o, o_1) for the first player, behind (o_2, o_3) and the counter for the last.
    expect(ran(firstPlan)).toEqual(['o', 'o_1']);
    expect(ran(lastPlan)).toEqual(['o_2', 'o_3']);
    expect(lastPlan).toMatch(
      /Index Scan using season_participant_counts_pkey on season_participant_counts c \(actual/,
    );
    expect(firstPlan).toMatch(/season_participant_counts c \(never executed\)/);
    // Every row counted is in its range: nothing read and thrown away.
    for (const plan of plans) expect(plan).not.toMatch(/Filter:|Seq Scan|Bitmap/);
  });

  it('keep the participant counter equal to the rows, through recounts and a new season', async () => {
    const membership = world.get(SeasonMembership);
    const season = (await seasons.current())!;
    const ids: string[] = [];
    for (let i = 0; i < 6; i += 1) ids.push(await accounts.create());
    for (const [i, accountId] of ids.entries()) await world.earn(accountId, 5 * (i + 1));
    await world.earn(ids[0], 5);
    await countersMatch();
    // A merge's recount (delete then reinsert the scores from the ledger), from two writers.
    await db.query(`UPDATE ledger_entries SET account_id = $2 WHERE account_id = $1`, [
      ids[1],
      ids[2],
    ]);
    await Promise.all(
      [
        [ids[1], ids[2]],
        [ids[3], ids[4]],
      ].map((pair) =>
        db.transaction(async (manager) => {
          const tx = { manager } as Parameters<SeasonMembership['recount']>[0];
          await membership.recount(tx, season.id, pair);
        }),
      ),
    );
    await countersMatch();
    await seasonPlacesMatchAnyMedian(season.id);
    // The season closes, the next opens and earns.
    await seasons.close(season.id);
    const next = await seasons.ensureOpen();
    expect(next.id).not.toBe(season.id);
    for (const accountId of ids.slice(0, 3)) await world.earn(accountId, 10);
    await countersMatch();
    await seasonPlacesMatchAnyMedian(next.id);
    await medians.refresh('open');
    await servicePlacesMatch(next.id);
  });
});
