import { SeasonsService, SeasonStandings } from '@ttfd/economy';
import { CleanupCron, ReconcileService, SyncStatsService } from '@ttfd/sync';
import { waitFor } from '../support/test-app';
import {
  award,
  discordPlayer,
  mapRoles,
  newDiscordUserId,
  reconcileNow,
  ROLE,
  settled,
  startSyncWorld,
  SyncWorld,
} from './sync-harness';

/** Flows 4 and 5, and the stats, on real Postgres, Redis and BullMQ. */
describe('reconcile, cleanup and stats', () => {
  let world: SyncWorld;
  let reconcile: ReconcileService;

  beforeAll(async () => {
    // Pages of one member, so a listing can fail midway; a small removal cap.
    world = await startSyncWorld({
      env: {
        RECONCILE_MEMBER_PAGE_SIZE: '1',
        RECONCILE_MAX_REMOVALS: '2',
        // Redis is up throughout: an enqueue that takes over the 1 s default (a queue's first
        // add connects and loads its scripts) is a stalled CI machine, not a failure to test.
        OUTBOX_ENQUEUE_TIMEOUT_MS: '10000',
      },
    });
    reconcile = world.app.app.get(ReconcileService);
  });

  afterAll(async () => {
    await world.app.close();
  });

  beforeEach(async () => {
    await settled(world);
    await mapRoles(world.db);
    world.alerts.alerts.length = 0;
    world.gateway.heal();
    world.gateway.clearCalls();
  });

  it('keeps season scores through a merge and an unlink, and repairs a drifted score', async () => {
    const seasons = world.app.app.get(SeasonsService);
    const standings = world.app.app.get(SeasonStandings);
    const season = await seasons.ensureOpen();
    const telegramUser = newDiscordUserId();
    const { accountId: telegramAccount } = await world.identities.resolve('telegram', telegramUser);
    const discord = await discordPlayer(world);
    await award(world, telegramAccount, 100);
    await award(world, discord.accountId, 50);
    const scoreOf = async (accountId: string) => {
      const rows: { xp: string }[] = await world.db.query(
        `SELECT xp FROM season_scores WHERE season_id = $1 AND account_id = $2`,
        [season.id, accountId],
      );
      return rows[0] ? Number(rows[0].xp) : null;
    };

    const { code } = await world.links.issueCode('telegram', telegramUser);
    await world.links.redeem('discord', discord.userId, code);
    // The merge moved the Discord side's rows: its score follows them to the survivor.
    expect(await scoreOf(telegramAccount)).toBe(150);
    expect(await scoreOf(discord.accountId)).toBeNull();
    expect(await standings.placeOf(discord.accountId)).toMatchObject({ xp: 150 });

    // Unlink: the profile (and its season) stays with Telegram; Discord starts from nothing.
    const { discordAccountId } = await world.links.unlink('discord', discord.userId);
    expect(await scoreOf(telegramAccount)).toBe(150);
    expect(await standings.placeOf(discordAccountId)).toBeNull();

    // Drift behind the award's back: reconcile rebuilds the score from the ledger.
    await world.db.query(
      `UPDATE season_scores SET xp = 1 WHERE season_id = $1 AND account_id = $2`,
      [season.id, telegramAccount],
    );
    await world.db.query(`INSERT INTO season_scores VALUES ($1, $2, 7, now())`, [
      season.id,
      discordAccountId,
    ]);
    const report = await reconcileNow(world);
    expect(report.drifted).toMatchObject({ seasonScores: 2 });
    expect(report.fixed).toMatchObject({ seasonScores: 2 });
    expect(await scoreOf(telegramAccount)).toBe(150);
    expect(await scoreOf(discordAccountId)).toBeNull();
  });

  it('repairs a total edited behind its back, a missing role and an extra managed role, leaving unmanaged roles alone', async () => {
    const a = await discordPlayer(world, [ROLE.vip]);
    const b = await discordPlayer(world, [ROLE.vip]);
    const c = await discordPlayer(world, [ROLE.vip]);
    for (const player of [a, b, c]) await award(world, player.accountId, 5_000);
    await settled(world);
    // Drift: a's XP edited by hand (rank 5 stored); c's rank role removed by a moderator; b
    // given a managed role it did not earn. (a's repair writes roles.resync, which the worker
    // may apply before the role pass: c and b are the role cases.)
    await world.db.query(`UPDATE accounts SET xp = 8000, rank_id = 5 WHERE id = $1`, [a.accountId]);
    world.gateway.setMember(c.userId, [ROLE.vip]);
    world.gateway.setMember(b.userId, [ROLE.vip, ROLE.rank4, ROLE.firstWin]);

    const report = await reconcileNow(world);
    expect(report.status).toBe('completed');
    expect(report.drifted).toMatchObject({ totals: 1, rank: 1 });
    expect(report.fixed).toMatchObject({ totals: 1, rank: 1 });
    expect(report.fixed.rolesAdded).toBeGreaterThanOrEqual(1);
    expect(report.fixed.rolesRemoved).toBeGreaterThanOrEqual(1);
    const [totals] = await world.db.query(`SELECT xp, rank_id FROM accounts WHERE id = $1`, [
      a.accountId,
    ]);
    expect(totals).toEqual({ xp: '5000', rank_id: 4 });
    for (const player of [a, b, c]) {
      expect(world.gateway.rolesOf(player.userId)).toEqual([ROLE.rank4, ROLE.vip].sort());
    }
    expect(world.gateway.rolesOf(b.userId)).toEqual([ROLE.rank4, ROLE.vip].sort());
    expect(world.gateway.changes().some((c) => c.roleId === ROLE.vip)).toBe(false);
    expect(report.alerts).toEqual([]);
    expect((await reconcile.reports(5)).map((r) => r.jobId)).toContain(report.jobId);
  });

  it('with an empty member list removes nothing and raises an alert', async () => {
    const { userId } = await discordPlayer(world, [ROLE.rank5]);
    const members = world.gateway.rolesOf(userId)!;
    world.gateway.removeMember(userId);
    // Every other member gone too: the listing is empty.
    const listed = await world.gateway.listMembers(null, 1000);
    for (const member of listed.members) world.gateway.removeMember(member.userId);
    const report = await reconcileNow(world);
    expect(report.alerts.map((a) => a.kind)).toEqual(['reconcile_empty_member_list']);
    expect(world.alerts.alerts.map((a) => a.kind)).toEqual(['reconcile_empty_member_list']);
    expect(world.gateway.changes()).toEqual([]);
    world.gateway.setMember(userId, members);
  });

  it('with an empty rank mapping removes nothing and raises an alert', async () => {
    const { userId } = await discordPlayer(world, [ROLE.vip, ROLE.rank5, ROLE.firstWin]);
    await world.db.query(`UPDATE rank_role_mappings SET discord_role_id = NULL`);
    const report = await reconcileNow(world);
    expect(report.alerts.map((a) => a.kind)).toContain('reconcile_empty_mapping');
    expect(world.gateway.changes().filter((c) => c.op === 'remove')).toEqual([]);
    expect(world.gateway.rolesOf(userId)).toEqual([ROLE.firstWin, ROLE.rank5, ROLE.vip].sort());
  });

  it('a listing that fails midway removes nothing and raises an alert', async () => {
    await discordPlayer(world);
    const { userId } = await discordPlayer(world, [ROLE.rank5]);
    world.gateway.failNext(1, { op: 'list', message: 'gateway timeout', skip: 1 });
    const report = await reconcileNow(world);
    expect(report.alerts.map((a) => a.kind)).toEqual(['reconcile_member_list_failed']);
    expect(world.gateway.rolesOf(userId)).toEqual([ROLE.rank5]);
  });

  it('caps removals per run, with an alert', async () => {
    await Promise.all(Array.from({ length: 3 }, () => discordPlayer(world, [ROLE.rank5])));
    const report = await reconcileNow(world);
    expect(report.fixed.rolesRemoved).toBe(2);
    expect(report.drifted.rolesExtra).toBeGreaterThanOrEqual(3);
    expect(report.alerts.map((a) => a.kind)).toEqual(['reconcile_removal_cap']);
    expect(world.gateway.changes().filter((c) => c.op === 'remove')).toHaveLength(2);
  });

  it('two schedulers enqueue one run per time slot', async () => {
    const slot = new Date('2026-11-23T10:15:00Z');
    const [first, second] = await Promise.all([
      reconcile.enqueueScheduled(slot),
      reconcile.enqueueScheduled(slot),
    ]);
    expect(first).toBe('reconcile-202611231015');
    expect(second).toBe(first);
    await waitFor(async () => (await reconcile.report(first))?.status === 'completed');
    expect((await reconcile.reports(50)).filter((r) => r.jobId === first)).toHaveLength(1);
    await settled(world);
  });

  it('cleanup deletes only what is past retention', async () => {
    const now = world.clock.nowMs();
    const day = 24 * 3600 * 1000;
    const { accountId } = await discordPlayer(world);
    const at = (msAgo: number) => new Date(now - msAgo);
    await world.db.query(
      `INSERT INTO sync_events (type, source, account_id, status, completed_at, created_at, idempotency_key)
       VALUES ('xp.changed', 'system', $1, 'completed', $2, $2, 'cleanup-old'),
              ('xp.changed', 'system', $1, 'completed', $3, $3, 'cleanup-recent'),
              ('xp.changed', 'system', $1, 'failed', NULL, $2, 'cleanup-failed')`,
      [accountId, at(31 * day), at(29 * day)],
    );
    await world.db.query(
      `INSERT INTO link_codes (code_hash, account_id, issued_on, expires_at)
       VALUES ('expired-hash', $1, 'discord', $2), ('live-hash', $1, 'discord', $3)`,
      [accountId, at(1_000), new Date(now + 60_000)],
    );
    await world.db.query(
      `INSERT INTO link_attempts (platform, external_id, succeeded, attempted_at)
       VALUES ('discord', '1', false, $1), ('discord', '2', false, $2)`,
      [at(25 * 3600 * 1000), at(3600 * 1000)],
    );
    await world.db.query(
      `INSERT INTO game_sessions (account_id, game, status, updated_at, finished_at)
       VALUES ($1, 'guess', 'active', $2, NULL), ($1, 'quiz', 'active', $3, NULL),
              ($1, 'guess', 'won', $4, $4), ($1, 'guess', 'lost', $3, $3)`,
      [accountId, at(2 * 3600 * 1000), at(60_000), at(31 * day)],
    );

    const jobId = await world.app.app.get(CleanupCron).enqueue();
    expect(jobId).toMatch(/^cleanup-\d{8}$/);
    await waitFor(
      async () => {
        const [{ n }] = await world.db.query(
          `SELECT count(*) AS n FROM sync_events WHERE idempotency_key = 'cleanup-old'`,
        );
        return Number(n) === 0;
      },
      { what: 'cleanup' },
    );
    await waitFor(async () => {
      const games: { game: string; status: string }[] = await world.db.query(
        `SELECT game, status FROM game_sessions WHERE account_id = $1 ORDER BY id`,
        [accountId],
      );
      return JSON.stringify(games) ===
        JSON.stringify([
          { game: 'guess', status: 'abandoned' },
          { game: 'quiz', status: 'active' },
          { game: 'guess', status: 'lost' },
        ])
        ? games
        : null;
    });
    const keys = await world.db.query(
      `SELECT idempotency_key FROM sync_events WHERE idempotency_key LIKE 'cleanup-%' ORDER BY 1`,
    );
    expect(keys.map((k: { idempotency_key: string }) => k.idempotency_key)).toEqual([
      'cleanup-failed',
      'cleanup-recent',
    ]);
    expect(
      await world.db.query(`SELECT code_hash FROM link_codes WHERE account_id = $1`, [accountId]),
    ).toEqual([{ code_hash: 'live-hash' }]);
    expect(
      await world.db.query(`SELECT external_id FROM link_attempts WHERE external_id IN ('1', '2')`),
    ).toEqual([{ external_id: '2' }]);
    // A second enqueue the same day is the same job: BullMQ keeps one.
    expect(await world.app.app.get(CleanupCron).enqueue()).toBe(jobId);
  });

  it('reports counts by status and type, throughput, lag and the oldest pending age', async () => {
    const { accountId } = await discordPlayer(world);
    await award(world, accountId, 10);
    await settled(world);
    world.clock.advance(1_000);
    await world.db.query(
      `INSERT INTO sync_events (type, source, account_id, status, created_at, next_attempt_at)
       VALUES ('roles.resync', 'system', $1, 'pending', $2, $3)`,
      [accountId, new Date(world.clock.nowMs() - 5_000), new Date(world.clock.nowMs() + 3_600_000)],
    );
    const stats = await world.app.app.get(SyncStatsService).stats(15);
    expect(stats.byStatus.pending).toBe(1);
    expect(stats.byStatus.completed).toBeGreaterThan(0);
    expect(stats.byType['roles.resync'].completed).toBeGreaterThan(0);
    expect(stats.throughputPerMinute).toBeGreaterThan(0);
    expect(stats.lagMs.p50).not.toBeNull();
    expect(stats.oldestPendingAgeMs).toBe(5_000);
    await world.db.query(`DELETE FROM sync_events WHERE status = 'pending'`);
  });
});
