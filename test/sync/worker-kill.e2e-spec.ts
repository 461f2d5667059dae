/**
 * A worker process killed (SIGKILL) in the middle of a batch: its rows and its member's lease
 * stay taken in Postgres until their lease runs out, then another worker process claims them
 * and converges the member. The built app in two child processes (like the fault drills), the
 * real Discord adapter at the fake Discord; the first role call of the batch is answered 429
 * with a long retry-after, so the holder is caught mid-batch (discord.js waits it out).
 */
import { WorkerProcesses } from '../support/worker-processes';
import { waitFor } from '../support/wait-for';

const LEASE_MS = 3_000;
const SWEEP_MS = 200;

describe('a worker killed mid-batch', () => {
  const fleet = new WorkerProcesses({
    label: 'worker-kill',
    env: {
      SYNC_LEASE_MS: String(LEASE_MS),
      SYNC_RELAY_INTERVAL_MS: String(SWEEP_MS),
      SYNC_BACKOFF_BASE_MS: '200',
      SYNC_BACKOFF_MAX_MS: '1000',
    },
    beforeStart: async ({ pool, discord }) => {
      await pool.query(`UPDATE rank_role_mappings SET discord_role_id = $1 WHERE rank_id = 1`, [
        discord.guild.roles.rank1,
      ]);
    },
  });

  beforeAll(() => fleet.start(), 150_000);
  afterAll(() => fleet.stop());

  it('another worker process takes its rows and member over within one lease', async () => {
    const { pool, discord, workers } = fleet;
    const member = discord.memberJoin(discord.createUser('erin'));
    const [{ id: accountId }]: { id: string }[] = (
      await pool.query(`INSERT INTO accounts DEFAULT VALUES RETURNING id`)
    ).rows;
    await pool.query(
      `INSERT INTO identities (account_id, platform, external_id) VALUES ($1, 'discord', $2)`,
      [accountId, member.id],
    );
    // The batch's role call waits far longer than a lease: its holder is caught mid-batch.
    discord.failNext(
      'PUT /guilds/:guildId/members/:userId/roles/:roleId',
      // Waited out by discord.js (it refuses waits over 15 s), longer than a lease.
      { status: 429, retryAfterSeconds: 10 },
      1,
    );
    const [{ id: eventId }]: { id: string }[] = (
      await pool.query(
        `INSERT INTO sync_events (type, source, account_id, payload, next_attempt_at, created_at)
         VALUES ('roles.resync', 'admin', $1, '{}', now(), now()) RETURNING id`,
        [accountId],
      )
    ).rows;
    // The sweep wakes the lane; whichever worker claims it reaches the 429 and waits.
    const holder = await waitFor(
      async () => {
        const { rows } = await pool.query<{ holder: string }>(
          `SELECT holder FROM sync_member_leases WHERE discord_user_id = $1`,
          [member.id],
        );
        const called = discord
          .calls()
          .some((call) => call.method === 'PUT' && call.path.includes(`/members/${member.id}/`));
        return called && rows[0] ? rows[0].holder : null;
      },
      { timeoutMs: 20_000, what: 'a worker holding the member at its role call' },
    );
    const victim = workers.find((worker) => holder.startsWith(`${worker.pid}:`));
    expect(victim).toBeDefined();
    // Mid-batch: the row is still the victim's first attempt.
    const before = await pool.query<{ status: string; attempts: number }>(
      `SELECT status, attempts FROM sync_events WHERE id = $1`,
      [eventId],
    );
    expect(before.rows[0]).toEqual({ status: 'processing', attempts: 1 });
    const killedAt = Date.now();
    await victim!.kill();
    await waitFor(
      async () => {
        const { rows } = await pool.query<{ status: string }>(
          `SELECT status FROM sync_events WHERE id = $1`,
          [eventId],
        );
        return rows[0].status === 'completed';
      },
      { timeoutMs: 20_000, what: 'the killed worker’s event completed by the other' },
    );
    // Within one lease (plus a sweep and the convergence itself).
    expect(Date.now() - killedAt).toBeLessThan(LEASE_MS + SWEEP_MS + 2_000);
    const { rows } = await pool.query<{ attempts: number }>(
      `SELECT attempts FROM sync_events WHERE id = $1`,
      [eventId],
    );
    expect(rows[0].attempts).toBe(2);
    expect(discord.memberRoles(discord.guild.id, member.id)).toContain(discord.guild.roles.rank1);
    const leases = await pool.query(`SELECT 1 FROM sync_member_leases`);
    expect(leases.rowCount).toBe(0);
  }, 60_000);
});
