import { DataSource } from 'typeorm';
import { ManualClock } from '@ttfd/clock';
import {
  AccountsService,
  LeaderboardService,
  LedgerService,
  ProfileService,
  SeasonsService,
  SeasonStandings,
} from '@ttfd/economy';
import { useEconomyApp } from '../support/economy-app';

/**
 * The place read model (`xp_place_counts`): whatever SQL moves XP (awards up and down, a merge, a
 * deleted account, a rebuilt season score, a bulk insert), the counts equal a full count, and the
 * places read from them equal a count of every player ahead.
 */
describe('xp place counts', () => {
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

  async function countsMatch(): Promise<void> {
    const [truth, counted] = await db.transaction('REPEATABLE READ', async (manager) => [
      (await manager.query(
        `SELECT board, xp, n FROM
           (SELECT 0::bigint AS board, xp, count(*) AS n FROM accounts WHERE merged_into IS NULL
             GROUP BY xp
            UNION ALL
            SELECT season_id, xp, count(*) FROM season_scores GROUP BY season_id, xp) t
          ORDER BY board, xp`,
      )) as { board: string; xp: string; n: string }[],
      (await manager.query(
        `SELECT board, xp, sum(n) AS n FROM xp_place_counts GROUP BY board, xp
          HAVING sum(n) <> 0 ORDER BY board, xp`,
      )) as { board: string; xp: string; n: string }[],
    ]);
    expect(counted).toEqual(truth);
    // Every row is a true count of its slot: none at zero or below is left behind.
    const [{ dead }] = await db.query(`SELECT count(*) AS dead FROM xp_place_counts WHERE n <= 0`);
    expect(Number(dead)).toBe(0);
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

  it('equal a full count, and places equal a count of the players ahead, after a random workload', async () => {
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
    // Concurrent awards to accounts sharing a slot (ids 16 apart) and an XP value.
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
    await countsMatch();
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
    await countsMatch();
    await placesMatch();
  });
});
