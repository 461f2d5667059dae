/**
 * One member converged by one process at a time, across real processes (issue 19): two worker
 * processes of the built app share 10,000 `roles.resync` rows over 100 members, claiming from
 * Postgres and leasing members there, while the fake Discord (reached over HTTP through the
 * real adapter) records every call about a member that arrives while another call for the same
 * member is in flight. Redis is flushed mid-run: only wake-ups are lost, the sweep recovers.
 *
 * Each member's rows come in runs of 20 consecutive ids, and a claim takes 1,000 rows: a claim
 * holds 50 members, the next claim (often the other process's) holds the other 50, and the one
 * after wants members that are still held. Every convergence of a live resync reads the member
 * from Discord, so the run costs about one read per run of rows (~500) plus the real changes,
 * within the role share of Discord's budget.
 */
import { deleteRedisKeys } from '../support/global-teardown';
import { waitFor } from '../support/wait-for';
import { WorkerProcesses } from '../support/worker-processes';

const MEMBERS = 100;
const EVENTS = 10_000;
/** Consecutive rows of one member: a claim of BATCH rows holds BATCH / RUN members. */
const RUN = 20;
const BATCH = 1_000;
/** The Redis flush comes once this many rows are completed. */
const FLUSH_AFTER = 2_000;

/** Rank 1..3 mapped to the fake's rank roles; a member's first Discord roles vary by index. */
interface Member {
  userId: string;
  accountId: string;
  startRoles: string[];
}

describe('two worker processes', () => {
  let vip = '';
  const members: Member[] = [];
  const fleet = new WorkerProcesses({
    label: 'two-workers',
    discord: { memberCallLatencyMs: 5 },
    env: {
      SYNC_RELAY_INTERVAL_MS: '200',
      // Nobody dies here: a lease only has to outlive a batch (~2 s) and a stall of a process on
      // a busy machine, which would otherwise hand its members to the other mid-call. Renewal
      // and takeover are leases.int-spec.ts's and worker-kill.e2e-spec.ts's business.
      SYNC_LEASE_MS: '10000',
      SYNC_JOB_BATCH_SIZE: String(BATCH),
      // No DM in this test: the role calls get Discord's whole budget.
      DISCORD_ROLE_REQUESTS_PER_SECOND: '49',
      DISCORD_DM_REQUESTS_PER_SECOND: '1',
    },
    // Mappings are read at boot (the processes cache them): written before they start.
    beforeStart: async ({ pool, discord }) => {
      const { rank1, rank2, rank3 } = discord.guild.roles;
      await pool.query(
        `UPDATE rank_role_mappings SET discord_role_id = CASE rank_id
           WHEN 1 THEN $1 WHEN 2 THEN $2 WHEN 3 THEN $3 END WHERE rank_id IN (1, 2, 3)`,
        [rank1, rank2, rank3],
      );
      vip = discord.addRole(discord.guild.id, { name: 'VIP' }).id;
      // A third already right, a third with nothing managed, a third with a wrong rank role;
      // every one with a role nobody mapped, which must stay.
      const starts = [[rank1], [], [rank3]];
      for (let i = 0; i < MEMBERS; i += 1) {
        const startRoles = [vip, ...starts[i % 3]];
        const user = discord.memberJoin(discord.createUser(`member${i}`), { roles: startRoles });
        const { rows } = await pool.query<{ id: string }>(
          `INSERT INTO accounts DEFAULT VALUES RETURNING id`,
        );
        await pool.query(
          `INSERT INTO identities (account_id, platform, external_id) VALUES ($1, 'discord', $2)`,
          [rows[0].id, user.id],
        );
        members.push({ userId: user.id, accountId: String(rows[0].id), startRoles });
      }
    },
  });

  beforeAll(() => fleet.start(), 150_000);
  afterAll(() => fleet.stop());

  it('10,000 events over 100 members: no member called twice at once, every event once, a Redis flush mid-run', async () => {
    const { pool, discord } = fleet;
    const started = Date.now();
    // What an admin's resync writes (SyncAdminService.resyncAccount), 10,000 times in one
    // statement: live lane, pending and due now. The sweep wakes the lane.
    await pool.query(
      `INSERT INTO sync_events (type, source, account_id, payload, status, lane, next_attempt_at,
                                created_at, updated_at)
       SELECT 'roles.resync', 'admin', ($1::bigint[])[1 + (g / $2::int) % $3::int],
              '{"reason":"admin"}', 'pending', 'roles', now(), now(), now()
         FROM generate_series(0, $4::int - 1) AS g`,
      [members.map((m) => m.accountId), RUN, MEMBERS, EVENTS],
    );
    const completed = async (): Promise<number> => {
      const { rows } = await pool.query<{ n: string }>(
        `SELECT count(*) AS n FROM sync_events WHERE status = 'completed'`,
      );
      return Number(rows[0].n);
    };
    await waitFor(async () => (await completed()) >= FLUSH_AFTER, {
      timeoutMs: 60_000,
      what: `${FLUSH_AFTER} events completed`,
    });
    // Mid-run, every key of the processes goes: queued and deduplicated wake-ups, the budget's
    // windows. The rows and leases are in Postgres.
    const completedAtFlush = await completed();
    await deleteRedisKeys(`${fleet.redisPrefix}*`);
    await waitFor(
      async () => {
        const { rows } = await pool.query<{ open: string }>(
          `SELECT count(*) AS open FROM sync_events WHERE status IN ('pending', 'processing')`,
        );
        return Number(rows[0].open) === 0;
      },
      { timeoutMs: 60_000, intervalMs: 100, what: 'every event settled' },
    );
    const drainMs = Date.now() - started;

    const { rows: outcomes } = await pool.query<{ status: string; attempts: number; n: string }>(
      `SELECT status, attempts, count(*) AS n FROM sync_events GROUP BY status, attempts`,
    );
    expect(outcomes.map((r) => [r.status, r.attempts, Number(r.n)])).toEqual([
      ['completed', 1, EVENTS],
    ]);

    const counts = discord.memberCallCounts();
    expect(counts.filter((count) => count.overlaps > 0)).toEqual([]);
    expect(counts.map((count) => count.userId).sort()).toEqual(members.map((m) => m.userId).sort());

    // Each member ends with the role of the rank the database holds for its account, and the
    // roles nobody mapped untouched.
    const { rows: ranks } = await pool.query<{ external_id: string; role: string }>(
      `SELECT i.external_id, m.discord_role_id AS role
         FROM identities i JOIN accounts a ON a.id = i.account_id
         JOIN rank_role_mappings m ON m.rank_id = a.rank_id
        WHERE i.platform = 'discord'`,
    );
    const rankRole = new Map(ranks.map((r) => [r.external_id, r.role]));
    const { rank1, rank2, rank3 } = discord.guild.roles;
    const managed = [rank1, rank2, rank3];
    const wanted = (member: Member): string[] =>
      [
        ...member.startRoles.filter((role) => !managed.includes(role)),
        rankRole.get(member.userId)!,
      ].sort();
    for (const member of members) {
      expect([...discord.memberRoles(discord.guild.id, member.userId)!].sort()).toEqual(
        wanted(member),
      );
    }

    // Role changes Discord applied are exactly the real changes, each once.
    const changes = (member: Member): string[] => {
      const want = wanted(member);
      return [
        ...member.startRoles
          .filter((role) => !want.includes(role))
          .map((role) => `DELETE ${member.userId} ${role}`),
        ...want
          .filter((role) => !member.startRoles.includes(role))
          .map((role) => `PUT ${member.userId} ${role}`),
      ];
    };
    const applied = discord
      .roleCalls()
      .map((call) => `${call.method} ${call.userId} ${call.roleId}`);
    expect(applied.sort()).toEqual(members.flatMap(changes).sort());

    const { rows: leases } = await pool.query(`SELECT 1 FROM sync_member_leases`);
    expect(leases).toEqual([]);
    expect(discord.problems()).toEqual([]);

    const calls = counts.reduce((sum, count) => sum + count.calls, 0);
    const refused = discord.rateLimitedCounts();
    process.stdout.write(
      `two worker processes: ${EVENTS} events, ${MEMBERS} members, ${calls} member calls ` +
        `(${applied.length} role changes), ${counts.reduce((s, c) => s + c.overlaps, 0)} overlaps, ` +
        `429s ${refused.global} global / ${refused.user} route, flush at ${completedAtFlush} ` +
        `completed, drained in ${drainMs} ms\n`,
    );
  }, 90_000);
});
