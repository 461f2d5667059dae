import { DataSource } from 'typeorm';
import { ManualClock } from '@ttfd/clock';
import {
  ALL_TIME_PLACE,
  AccountsService,
  LeaderboardService,
  LedgerService,
  ProfileService,
  SeasonsService,
  SEASON_PLACE,
  SeasonStandings,
} from '@ttfd/economy';
import { useEconomyApp } from '../support/economy-app';

/**
 * Places (ALL_TIME_PLACE, SEASON_PLACE): whatever SQL moves XP (awards up and down, ties at the
 * same instant, a merge, a deleted account, a rewritten score, a bulk insert), every place the
 * services give equals the row's position in the pages' order, and each is counted on index
 * ranges only (no scan of the whole board).
 */
describe('places', () => {
  let db: DataSource;
  let accounts: AccountsService;
  let ledger: LedgerService;
  let seasons: SeasonsService;
  let standings: SeasonStandings;
  let leaderboard: LeaderboardService;
  let profiles: ProfileService;
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
  });

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
    const inSeason: { account_id: string; place: string }[] = await db.query(
      `SELECT account_id, row_number() OVER (ORDER BY xp DESC, reached_at, account_id) AS place
         FROM season_scores WHERE season_id = $1`,
      [season.id],
    );
    for (const row of inSeason) {
      const id = String(row.account_id);
      expect((await standings.placeOf(id))?.place).toBe(Number(row.place));
      expect((await profiles.get(id)).season?.place).toBe(Number(row.place));
    }
  }

  it('equal a count of the players ahead, in the pages\' order, after a random workload', async () => {
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

  it('are counted on index ranges only, two per place', async () => {
    // After the workload above; vacuumed, so the visibility map lets the counts skip the heap.
    await db.query(`VACUUM accounts, season_scores`);
    const season = (await seasons.current())!;
    const [{ id }] = await db.query(
      `SELECT id FROM accounts WHERE merged_into IS NULL ORDER BY xp, id DESC LIMIT 1`,
    );
    const [{ account_id }] = await db.query(
      `SELECT account_id FROM season_scores WHERE season_id = $1 ORDER BY xp LIMIT 1`,
      [season.id],
    );
    const plans = await db.transaction(async (manager) => {
      // The tables are small: without these the planner would rather read them whole.
      await manager.query(`SET LOCAL enable_seqscan = off`);
      await manager.query(`SET LOCAL enable_bitmapscan = off`);
      const plan = async (sql: string) =>
        ((await manager.query(`EXPLAIN ${sql}`)) as { 'QUERY PLAN': string }[])
          .map((row) => row['QUERY PLAN'])
          .join('\n');
      return [
        await plan(`SELECT ${ALL_TIME_PLACE} FROM accounts m WHERE m.id = ${Number(id)}`),
        await plan(
          `SELECT ${SEASON_PLACE} FROM season_scores m
            WHERE m.season_id = ${season.id} AND m.account_id = ${Number(account_id)}`,
        ),
      ];
    });
    const [allTime, inSeason] = plans;
    // The two counts (alias o), whatever reads row m.
    const counts = (plan: string, index: string) =>
      plan.match(new RegExp(`Index Only Scan using ${index} on \\w+ o(_\\d+)?\\s`, 'g'));
    expect(counts(allTime, 'accounts_xp_idx')).toHaveLength(2);
    expect(counts(inSeason, 'season_scores_rank_idx')).toHaveLength(2);
    // Every row counted is in its range: nothing read and thrown away.
    for (const plan of plans) expect(plan).not.toMatch(/Filter:|Seq Scan|Bitmap/);
  });
});
