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
  SeasonMembership,
  SeasonStandings,
} from '@ttfd/economy';
import { useEconomyApp } from '../support/economy-app';

/**
 * Places (ALL_TIME_PLACE, SEASON_PLACE): whatever SQL moves XP (awards, ties at the same instant, a
 * merge, a deleted account, scores rewritten up and down across buckets, moved to another season,
 * bulk inserts, a truncate), every place the services give equals the row's position in the
 * pages' order, and each is counted on index ranges only (no scan of the whole board). The
 * season's bucket counts (`season_xp_counts`, what an open-season place sums) equal a count of
 * its rows per bucket after every write, and an award that stays in its bucket writes none.
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

  /** Per season and bucket: the counts' slots summed, and the rows they count. */
  async function countsMatch(): Promise<void> {
    const differing: unknown[] = await db.query(
      `SELECT season_id, bucket, c.n AS counted, s.n AS actual
         FROM (SELECT season_id, bucket, sum(n) AS n FROM season_xp_counts
                GROUP BY season_id, bucket HAVING sum(n) <> 0) c
         FULL JOIN (SELECT season_id, season_xp_bucket(xp) AS bucket, count(*) AS n
                      FROM season_scores GROUP BY 1, 2) s USING (season_id, bucket)
        WHERE c.n IS DISTINCT FROM s.n`,
    );
    expect(differing).toEqual([]);
  }

  /** The season rule itself, for every player at once (one statement): the pages' position. */
  async function seasonPlacesMatch(seasonId: number): Promise<void> {
    const wrong: unknown[] = await db.query(
      `SELECT m.account_id, m.xp, ${SEASON_PLACE} AS place, r.place AS expected
         FROM season_scores m
         JOIN (SELECT account_id,
                      row_number() OVER (ORDER BY xp DESC, reached_at, account_id) AS place
                 FROM season_scores WHERE season_id = $1) r USING (account_id)
        WHERE m.season_id = $1 AND ${SEASON_PLACE} <> r.place`,
      [seasonId],
    );
    expect(wrong).toEqual([]);
    await countsMatch();
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
    await seasonPlacesMatch(season.id);
    await servicePlacesMatch(season.id);
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

    // Repairs in one statement that move scores across buckets both ways (down to one XP, up
    // past a doubling) and within them.
    await db.query(
      `UPDATE season_scores
          SET xp = CASE account_id % 3 WHEN 0 THEN xp * 5 WHEN 1 THEN greatest(1, xp / 7)
                   ELSE xp + 1 END`,
    );
    await placesMatch();
  });

  it('are counted on index ranges only: the buckets above, then the own bucket and its ties', async () => {
    // After the workload above; vacuumed, so the visibility map lets the counts skip the heap.
    await db.query(`VACUUM accounts, season_scores`);
    const season = (await seasons.current())!;
    const [{ id }] = await db.query(
      `SELECT id FROM accounts WHERE merged_into IS NULL ORDER BY xp, id DESC LIMIT 1`,
    );
    const [last, first]: { account_id: string }[] = await db.query(
      `(SELECT account_id FROM season_scores WHERE season_id = $1 ORDER BY xp LIMIT 1)
       UNION ALL
       (SELECT account_id FROM season_scores WHERE season_id = $1 ORDER BY xp DESC LIMIT 1)`,
      [season.id],
    );
    const inSeason = (accountId: string) =>
      `SELECT ${SEASON_PLACE} FROM season_scores m
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
    const [allTime, ...seasonPlans] = plans;
    // The counts (alias o), whatever reads row m.
    const counts = (plan: string, index: string) =>
      plan.match(new RegExp(`Index Only Scan using ${index} on \\w+ o(_\\d+)?\\s.*`, 'g')) ?? [];
    expect(counts(allTime, 'accounts_xp_idx')).toHaveLength(2);
    for (const plan of seasonPlans) {
      // In the own bucket above the player, then its ties; the buckets above from their counts.
      expect(counts(plan, 'season_scores_rank_idx')).toHaveLength(2);
      expect(plan).toMatch(/Index Scan using season_xp_counts_pkey on season_xp_counts c \(actual/);
      // The bucket functions are inlined: a call the planner keeps runs as a query of its own.
      expect(plan).not.toMatch(/season_xp_bucket/);
    }
    // Every row counted is in its range: nothing read and thrown away.
    for (const plan of plans) expect(plan).not.toMatch(/Filter:|Seq Scan|Bitmap/);
  });

  it('bucket XP: one bucket per value below 64, then 16 per doubling, tiling the XP line', async () => {
    // For each XP: its bucket's last XP is in the bucket and the XP after it in the next one.
    const [check] = await db.query(
      `WITH xp AS (SELECT x FROM generate_series(1::bigint, 70000) x
                   UNION ALL
                   SELECT (1::bigint << p) + d FROM generate_series(6, 62) p,
                          unnest('{-2,-1,0,1,3,1000}'::bigint[]) d)
       SELECT count(*) FILTER (WHERE season_xp_bucket(season_xp_bucket_last(x)) <> season_xp_bucket(x)
                                OR season_xp_bucket_last(x) < x) AS outside,
              count(*) FILTER (WHERE season_xp_bucket_last(x) < 9223372036854775807
                                 AND season_xp_bucket(season_xp_bucket_last(x) + 1)
                                     <> season_xp_bucket(x) + 1) AS gaps,
              season_xp_bucket(63) AS b63, season_xp_bucket(9223372036854775807) AS top,
              season_xp_bucket_last(9223372036854775807) AS top_last,
              (SELECT count(DISTINCT season_xp_bucket(x)) FROM generate_series(1024::bigint, 2047) x)
                AS per_doubling
         FROM xp`,
    );
    expect(check).toEqual({
      outside: '0',
      gaps: '0',
      b63: 63,
      top: 975,
      top_last: '9223372036854775807',
      per_doubling: '16',
    });
    // The UPDATE trigger's own test of a bucket change (no bucket functions in its WHEN): scores
    // from 1 to 2^50, moved by steps that stay in their bucket, reach the next, or skip many.
    // A move it missed leaves a count wrong; one it saw where none was fails the statement.
    const season = (await seasons.current())!;
    await db.query(
      `INSERT INTO season_scores (season_id, account_id, xp, reached_at)
       SELECT $1::integer, 920000000 + g, (1.09 ^ (g / 2))::bigint + g % 3, now()
         FROM generate_series(1, 800) g`,
      [season.id],
    );
    for (const change of ['xp + 1', 'xp + 7', 'xp + 63', 'xp * 2', 'xp - xp / 3', 'xp + xp / 17']) {
      await db.query(
        `UPDATE season_scores SET xp = ${change} WHERE account_id BETWEEN 920000001 AND 920000800`,
      );
      await countsMatch();
    }
    await db.query(`DELETE FROM season_scores WHERE account_id BETWEEN 920000001 AND 920000800`);
    await countsMatch();
  });

  it('write no bucket count for an award that stays in its bucket', async () => {
    const player = await accounts.create();
    // 100 to 103 is one bucket (4 wide between 64 and 128); 106 is the next one.
    await world.earn(player, 100);
    const versions = async () =>
      (await db.query(
        `SELECT season_id, bucket, slot, ctid::text, xmin::text FROM season_xp_counts
          ORDER BY season_id, bucket, slot`,
      )) as unknown[];
    const before = await versions();
    await world.earn(player, 3);
    expect(await versions()).toEqual(before);
    await world.earn(player, 3);
    expect(await versions()).not.toEqual(before);
    await countsMatch();
  });

  it('keep the bucket counts equal to the rows, through recounts, a move and a new season', async () => {
    const membership = world.get(SeasonMembership);
    const season = (await seasons.current())!;
    const ids: string[] = [];
    for (let i = 0; i < 6; i += 1) ids.push(await accounts.create());
    for (const [i, accountId] of ids.entries()) await world.earn(accountId, 5 * (i + 1));
    await world.earn(ids[0], 5);
    await countsMatch();
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
    await seasonPlacesMatch(season.id);
    // The season closes, the next opens and earns.
    await seasons.close(season.id);
    const next = await seasons.ensureOpen();
    expect(next.id).not.toBe(season.id);
    for (const accountId of ids.slice(0, 3)) await world.earn(accountId, 10);
    await seasonPlacesMatch(next.id);
    await servicePlacesMatch(next.id);
    // A score moved to the other season (same XP, so only its season changes), then one with it.
    await db.query(
      `UPDATE season_scores SET season_id = $2 WHERE season_id = $1 AND account_id = $3`,
      [season.id, next.id, ids[5]],
    );
    await seasonPlacesMatch(next.id);
    await db.query(
      `UPDATE season_scores SET season_id = $1, xp = xp * 40 WHERE season_id = $2 AND account_id = $3`,
      [season.id, next.id, ids[5]],
    );
    await seasonPlacesMatch(season.id);
    await seasonPlacesMatch(next.id);
  });

  it('are exact in big buckets and big ties, through bulk writes and a truncate', async () => {
    const season = (await seasons.current())!;
    // 3,000 players (ids of their own) in the bucket from 1,024 to 1,087 and 500 tied on 5,000,
    // many of those at one instant; a bulk insert, as an import or a rebuild writes them.
    await db.query(
      `INSERT INTO season_scores (season_id, account_id, xp, reached_at)
       SELECT $1::integer, 900000000 + g, 1024 + (g * 7919) % 64,
              timestamptz '2026-03-01' + ((g * 31) % 50) * interval '1 second'
         FROM generate_series(1, 3000) g
       UNION ALL
       SELECT $1::integer, 910000000 + g, 5000, timestamptz '2026-03-01' + (g % 3) * interval '1 second'
         FROM generate_series(1, 500) g`,
      [season.id],
    );
    await seasonPlacesMatch(season.id);
    // Bulk moves both ways across buckets and within them, then a bulk delete.
    await db.query(
      `UPDATE season_scores SET xp = CASE WHEN account_id % 2 = 0 THEN xp + 37 ELSE xp - 500 END
        WHERE account_id BETWEEN 900000001 AND 900003000 OR account_id BETWEEN 910000001 AND 910000500`,
    );
    await seasonPlacesMatch(season.id);
    await db.query(
      `DELETE FROM season_scores WHERE account_id BETWEEN 900000001 AND 900003000 AND account_id % 3 = 0`,
    );
    await seasonPlacesMatch(season.id);
    await db.query(`TRUNCATE season_scores`);
    expect(await db.query(`SELECT * FROM season_xp_counts`)).toEqual([]);
    const player = await accounts.create();
    await world.earn(player, 70);
    await seasonPlacesMatch(season.id);
    expect((await standings.placeOf(player))?.place).toBe(1);
  });
});
