import { CleanupJob, readCommunityCounts, readSyncEventCounts, ReconcileService } from '@ttfd/sync';
import { waitFor } from '../support/test-app';
import {
  award,
  discordPlayer,
  newDiscordUserId,
  reconcileNow,
  settled,
  startSyncWorld,
  SyncWorld,
} from './sync-harness';

const DAY = 24 * 3600 * 1000;

/**
 * A year of history stays cheap to read: the counter read models (the gauges' event counts, the
 * overview's player counts) equal a full count whatever wrote the rows, and the scheduled
 * reconcile is incremental (changed accounts) with a rolling full pass that still finds drift in
 * accounts nobody touched.
 */
describe('history read models and incremental reconcile', () => {
  let world: SyncWorld;
  let reconcile: ReconcileService;

  beforeAll(async () => {
    world = await startSyncWorld({ env: { RECONCILE_ROLLING_ACCOUNTS: '1000' } });
    reconcile = world.app.app.get(ReconcileService);
  });

  afterAll(async () => {
    await world.app.close();
  });

  // Both sides read in one snapshot, once the worker is idle: the outbox and its counters move
  // in the same transactions, so any snapshot must show them equal.
  async function eventCountsMatch(): Promise<void> {
    await settled(world);
    const [truth, counted] = await world.db.transaction('REPEATABLE READ', async (manager) => [
      (await manager.query(
        `SELECT type, status, count(*) AS n FROM sync_events GROUP BY type, status ORDER BY type, status`,
      )) as { type: string; status: string; n: string }[],
      await readSyncEventCounts(manager),
    ]);
    expect(counted).toEqual(
      truth.map((row) => ({ type: row.type, status: row.status, count: Number(row.n) })),
    );
  }

  async function communityCountsMatch(): Promise<void> {
    const [truth, counted] = await world.db.transaction('REPEATABLE READ', async (manager) => [
      (
        (await manager.query(
          `SELECT (SELECT count(*) FROM accounts WHERE merged_into IS NULL) AS players,
                  (SELECT count(*) FROM (SELECT account_id FROM identities GROUP BY account_id
                                          HAVING count(DISTINCT platform) = 2) l) AS linked`,
        )) as { players: string; linked: string }[]
      )[0],
      await readCommunityCounts(manager),
    ]);
    expect(counted).toEqual({
      players: Number(truth.players),
      linkedPlayers: Number(truth.linked),
    });
  }

  // The overview's counters against the rows: XP per quarter hour, completions per minute and
  // lag bin (the bin by the migration's own sync_lag_bin). Retention's deletes do not subtract
  // (the series keeps what happened), so this holds until retention runs.
  async function overviewCountsMatch(): Promise<void> {
    await settled(world);
    const [xpTruth, xpCounted, doneTruth, doneCounted] = await world.db.transaction(
      'REPEATABLE READ',
      async (manager) => [
        await manager.query(
          `SELECT date_bin('15 minutes', created_at, 'epoch') AS bucket, sum(xp_delta) AS xp
             FROM ledger_entries WHERE xp_delta > 0 GROUP BY 1 ORDER BY 1`,
        ),
        await manager.query(
          `SELECT bucket, sum(xp) AS xp FROM xp_earned_counts
            GROUP BY 1 HAVING sum(xp) <> 0 ORDER BY 1`,
        ),
        await manager.query(
          `SELECT date_trunc('minute', completed_at) AS minute,
                  sync_lag_bin(attempts, created_at, completed_at) AS lag_bin, count(*) AS n
             FROM sync_events WHERE status = 'completed' GROUP BY 1, 2 ORDER BY 1, 2`,
        ),
        await manager.query(
          `SELECT minute, lag_bin, sum(n) AS n FROM sync_completion_counts
            GROUP BY 1, 2 HAVING sum(n) <> 0 ORDER BY 1, 2`,
        ),
      ],
    );
    expect(xpTruth.length).toBeGreaterThan(0);
    expect(doneTruth.length).toBeGreaterThan(0);
    expect(xpCounted).toEqual(xpTruth);
    expect(doneCounted).toEqual(doneTruth);
  }

  async function runReconcile(mode: 'full' | 'incremental') {
    const report = await reconcileNow(world, mode);
    expect(report.status).toBe('completed');
    expect(report.mode).toBe(mode);
    return report;
  }

  it('counters equal a full count after a random workload', async () => {
    // A seeded generator: a failure is reproducible.
    let seed = 20;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const telegramUsers: string[] = [];
    const discordUsers: { userId: string; accountId: string }[] = [];
    for (let i = 0; i < 12; i += 1) {
      const userId = newDiscordUserId();
      await world.identities.resolve('telegram', userId, { username: `p${i}` });
      telegramUsers.push(userId);
      discordUsers.push(await discordPlayer(world));
    }
    // Awards of every size (rank-ups write pending events the worker completes).
    for (let i = 0; i < 60; i += 1) {
      const player = discordUsers[Math.floor(random() * discordUsers.length)];
      await award(world, player.accountId, 1 + Math.floor(random() * 3_000));
    }
    // Links (a merge moves an identity and retires an account), then one unlink.
    for (let i = 0; i < 4; i += 1) {
      const { code } = await world.links.issueCode('telegram', telegramUsers[i]);
      await world.links.redeem('discord', discordUsers[i].userId, code);
    }
    await world.links.unlink('discord', discordUsers[0].userId);
    await settled(world);
    await communityCountsMatch();
    await overviewCountsMatch();

    // Events that fail (pending -> processing -> failed), written by any SQL at all.
    world.gateway.failAlways();
    // Nothing stored for the member: the convergence must read it, and the read fails.
    await world.db.query(`DELETE FROM discord_member_roles WHERE discord_user_id = $1`, [
      discordUsers[5].userId,
    ]);
    await award(world, discordUsers[5].accountId, 100_000);
    await waitFor(
      async () => {
        const [{ n }] = await world.db.query(
          `SELECT count(*) AS n FROM sync_events WHERE account_id = $1 AND status = 'failed'`,
          [discordUsers[5].accountId],
        );
        return Number(n) > 0;
      },
      { what: 'an event to fail' },
    );
    world.gateway.heal();
    await overviewCountsMatch();
    await world.db.query(
      `UPDATE sync_events SET status = 'processing', attempts = attempts + 1
        WHERE id IN (SELECT id FROM sync_events WHERE status = 'completed' ORDER BY id LIMIT 3)`,
    );
    await world.db.query(`UPDATE sync_events SET lease_until = now() WHERE status = 'processing'`);
    await world.db.query(
      `UPDATE sync_events SET status = 'completed', completed_at = $1
        WHERE status = 'processing'`,
      [world.clock.now()],
    );
    await eventCountsMatch();
    // Completed again (attempts and time changed): the counts moved with them.
    await overviewCountsMatch();

    // Retention deletes completed events past their days; the counters follow.
    const [{ before }] = await world.db.query(
      `SELECT count(*) AS before FROM sync_events WHERE status = 'completed'`,
    );
    world.clock.advance(40 * DAY);
    const cleaned = await world.app.app.get(CleanupJob).handle();
    expect(cleaned.completedEvents).toBe(Number(before));
    // Every counter row was older than the retention too.
    expect(cleaned.overviewCounters).toBeGreaterThan(0);
    expect(
      await world.db.query(
        `SELECT (SELECT count(*) FROM xp_earned_counts) AS xp,
                (SELECT count(*) FROM sync_completion_counts) AS done`,
      ),
    ).toEqual([{ xp: '0', done: '0' }]);
    await eventCountsMatch();
    await communityCountsMatch();

    // A first contact that loses the race deletes the account it made.
    const racer = newDiscordUserId();
    await Promise.all([
      world.identities.resolve('discord', racer),
      world.identities.resolve('discord', racer),
    ]);
    await settled(world);
    await communityCountsMatch();
    await eventCountsMatch();
  });

  it('a full reconcile finds and repairs a counter that drifted', async () => {
    await world.db.query(
      `INSERT INTO sync_event_counts (type, status, slot, n) VALUES ('roles.resync', 'failed', 7, 5)
       ON CONFLICT (type, status, slot) DO UPDATE SET n = sync_event_counts.n + 5`,
    );
    await world.db.query(`UPDATE community_counts SET n = n + 2 WHERE name = 'players'`);
    // A lost quarter hour of XP today (its ledger rows stay): the overview would show less.
    const player = await discordPlayer(world);
    await award(world, player.accountId, 25);
    await world.db.query(
      `DELETE FROM xp_earned_counts WHERE bucket = date_bin('15 minutes', $1::timestamptz, 'epoch')`,
      [world.clock.now()],
    );
    const report = await runReconcile('full');
    expect(report.drifted.counters).toBe(3);
    expect(report.fixed.counters).toBe(3);
    await eventCountsMatch();
    await communityCountsMatch();
    const [xpNow]: { counted: string | null; truth: string | null }[] = await world.db.query(
      `SELECT (SELECT sum(xp) FROM xp_earned_counts WHERE bucket = b) AS counted,
              (SELECT sum(xp_delta) FROM ledger_entries
                WHERE xp_delta > 0 AND date_bin('15 minutes', created_at, 'epoch') = b) AS truth
         FROM date_bin('15 minutes', $1::timestamptz, 'epoch') AS b`,
      [world.clock.now()],
    );
    expect(Number(xpNow.truth)).toBeGreaterThanOrEqual(25);
    expect(xpNow.counted).toBe(xpNow.truth);
  });

  it("a full reconcile finds and repairs the open season's XP bucket counts when they drifted", async () => {
    await world.db.query(
      `INSERT INTO seasons (name, starts_at, ends_at)
       SELECT 'Drift season', now() - interval '1 day', now() + interval '30 days'
        WHERE NOT EXISTS (SELECT 1 FROM seasons WHERE status = 'open')`,
    );
    const player = await discordPlayer(world);
    await award(world, player.accountId, 70);
    await settled(world);
    const bucketCounts = () =>
      world.db.query(
        `SELECT c.bucket, sum(c.n)::int AS n FROM season_xp_counts c
          JOIN seasons s ON s.id = c.season_id AND s.status = 'open'
         GROUP BY c.bucket HAVING sum(c.n) <> 0 ORDER BY c.bucket`,
      ) as Promise<{ bucket: number; n: number }[]>;
    const truth = () =>
      world.db.query(
        `SELECT season_xp_bucket(o.xp) AS bucket, count(*)::int AS n FROM season_scores o
          JOIN seasons s ON s.id = o.season_id AND s.status = 'open'
         GROUP BY 1 ORDER BY 1`,
      ) as Promise<{ bucket: number; n: number }[]>;
    expect(await bucketCounts()).toEqual(await truth());
    expect((await truth()).length).toBeGreaterThan(0);
    // A bucket count off by 3: every place read above that bucket would be 3 off.
    await world.db.query(
      `INSERT INTO season_xp_counts (season_id, bucket, slot, n)
       SELECT id, 40, 9, 3 FROM seasons WHERE status = 'open'
       ON CONFLICT (season_id, bucket, slot) DO UPDATE SET n = season_xp_counts.n + 3`,
    );
    const report = await runReconcile('full');
    expect(report.drifted.counters).toBe(1);
    expect(report.fixed.counters).toBe(1);
    expect(await bucketCounts()).toEqual(await truth());
  });

  it('an incremental pass checks the accounts that changed; the rolling pass finds drift in one that did not', async () => {
    const changed = await discordPlayer(world);
    const untouched = await discordPlayer(world);
    await award(world, changed.accountId, 100);
    await award(world, untouched.accountId, 100);
    // Two passes move the watermark (it trails by one) past everything written so far.
    await runReconcile('incremental');
    await runReconcile('incremental');

    // Drift behind the ledger's back in both; only `changed` gets a ledger row afterwards.
    await world.db.query(`UPDATE accounts SET xp = xp + 7 WHERE id = ANY($1::bigint[])`, [
      [changed.accountId, untouched.accountId],
    ]);
    await award(world, changed.accountId, 5);
    // Park the rolling cursor past every account: this pass's slice is empty.
    await world.db.query(
      `UPDATE reconcile_state SET rolling_after = (SELECT max(id) FROM accounts)`,
    );
    const [{ accounts }] = await world.db.query(
      `SELECT count(*) AS accounts FROM accounts WHERE merged_into IS NULL`,
    );
    const incremental = await runReconcile('incremental');
    expect(incremental.checked.accountsChanged).toBe(1);
    expect(incremental.checked.accountsRolling).toBe(0);
    expect(incremental.checked.accounts).toBe(1);
    expect(incremental.drifted.totals).toBe(1);
    expect(incremental.fixed.totals).toBe(1);
    const xpOf = async (accountId: string) =>
      Number((await world.db.query(`SELECT xp FROM accounts WHERE id = $1`, [accountId]))[0].xp);
    expect(await xpOf(changed.accountId)).toBe(105);
    expect(await xpOf(untouched.accountId)).toBe(107); // not looked at yet

    // The cursor wrapped: the next pass's slice starts from the first account and finds it.
    const rolling = await runReconcile('incremental');
    // The watermark trails by one pass: the award is looked at once more.
    expect(rolling.checked.accountsChanged).toBe(1);
    expect(rolling.checked.accountsRolling).toBe(Number(accounts));
    expect(rolling.drifted.totals).toBe(1);
    expect(rolling.fixed.totals).toBe(1);
    expect(await xpOf(untouched.accountId)).toBe(100);
  });

  it('retention trims closed voice sessions and old reconcile reports, keeping recent ones', async () => {
    const now = world.clock.nowMs();
    const { accountId, userId } = await discordPlayer(world);
    await world.db.query(
      `INSERT INTO voice_sessions (account_id, discord_user_id, channel_id, status, started_at,
                                   last_checkpoint_at, closed_at)
       VALUES ($1, $2, '1', 'closed', $3, $3, $3), ($1, $2, '2', 'closed', $4, $4, $4)`,
      [accountId, userId, new Date(now - 31 * DAY), new Date(now - DAY)],
    );
    await world.db.query(
      `INSERT INTO reconcile_reports (job_id, trigger, status, started_at, finished_at)
       VALUES ('retention-old', 'manual', 'completed', $1, $1),
              ('retention-recent', 'manual', 'completed', $2, $2)`,
      [new Date(now - 91 * DAY), new Date(now - DAY)],
    );
    const cleaned = await world.app.app.get(CleanupJob).handle();
    expect(cleaned.closedVoiceSessions).toBe(1);
    expect(cleaned.reconcileReports).toBe(1);
    expect(
      await world.db.query(`SELECT channel_id FROM voice_sessions WHERE account_id = $1`, [
        accountId,
      ]),
    ).toEqual([{ channel_id: '2' }]);
    expect(
      await world.db.query(`SELECT job_id FROM reconcile_reports WHERE job_id LIKE 'retention-%'`),
    ).toEqual([{ job_id: 'retention-recent' }]);
  });

  it('the schedule runs incremental passes', async () => {
    const jobId = await reconcile.enqueueScheduled(new Date('2030-01-01T00:15:00Z'));
    const report = await waitFor(
      async () => {
        const found = await reconcile.report(jobId);
        return found && found.status !== 'running' ? found : null;
      },
      { what: `reconcile ${jobId}` },
    );
    expect(report).toMatchObject({ trigger: 'schedule', mode: 'incremental', status: 'completed' });
  });
});
