import type { Pool } from 'pg';
import 'reflect-metadata';
import { ReconcileService } from '@ttfd/sync';
import { InMemoryRoleGateway } from '@ttfd/sync/testing';
import { startBenchApp } from '../lib/bench-app';
import { benchPool, createBenchDatabase } from '../lib/bench-database';
import { discordUserId, linkDiscord, mapRoles, wantedRolesByUser } from '../lib/guild';
import { progress } from '../lib/progress';
import { OwnRedis } from '../lib/redis-server';
import { peakRssMb, QUICK, Section } from '../lib/section';
import { round } from '../lib/stats';

const ACCOUNTS = QUICK ? 5_000 : 100_000;

export const section: Section = {
  name: 'reconcile',
  deadlineMs: QUICK ? 60_000 : 300_000,
  run: async () => {
    const database = await createBenchDatabase('reconcile');
    const redis = await OwnRedis.start();
    const pool = benchPool(database.url, 4);
    const gateway = new InMemoryRoleGateway();
    let bench: Awaited<ReturnType<typeof startBenchApp>> | undefined;
    try {
      progress(`reconcile: seeding ${ACCOUNTS} accounts`);
      await seed(pool);
      const ids = (
        await pool.query<{ id: string }>(`SELECT id FROM accounts ORDER BY id`)
      ).rows.map((row) => String(row.id));
      // 10% on Discord; 1% drifted: half of them in totals, half in a member's roles.
      const discord = ids.filter((_, i) => i % 10 === 0);
      await mapRoles(pool);
      await linkDiscord(pool, discord);
      const wanted = await wantedRolesByUser(pool);
      for (const [userId, roles] of wanted) gateway.setMember(userId, roles);
      const drifted = Math.max(2, Math.floor(ACCOUNTS / 100));
      const totalsDrift = ids.filter((_, i) => i % 10 === 5).slice(0, drifted / 2);
      const rolesDrift = discord.slice(0, drifted / 2);
      await pool.query(`UPDATE accounts SET coins = coins + 7 WHERE id = ANY($1::bigint[])`, [
        totalsDrift,
      ]);
      for (const accountId of rolesDrift) {
        // The member lost their rank role on Discord (a moderator's slip, say).
        const userId = discordUserId(accountId);
        gateway.setMember(userId, gateway.rolesOf(userId)!.slice(1));
      }
      gateway.clearCalls();

      bench = await startBenchApp({
        databaseUrl: database.url,
        redisUrl: redis.url,
        roles: 'worker',
        gateway,
      });
      const reconcile = bench.app.get(ReconcileService);
      progress('reconcile: one pass');
      const jobId = await reconcile.runNow();
      const deadline = Date.now() + (QUICK ? 45_000 : 240_000);
      let report = await reconcile.report(jobId);
      while (report?.status !== 'completed') {
        if (report?.status === 'failed') throw new Error(`reconcile failed: ${report.error}`);
        if (Date.now() > deadline) {
          throw new Error(`reconcile did not finish in time: ${JSON.stringify(report)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
        report = await reconcile.report(jobId);
      }
      const seconds = (report.finishedAt!.getTime() - report.startedAt.getTime()) / 1000;
      const foundTotals = report.drifted.totals ?? 0;
      const foundRoles = (report.drifted.rolesMissing ?? 0) + (report.drifted.rolesExtra ?? 0);
      const repairedRoles = rolesDrift.every((accountId) => {
        const userId = discordUserId(accountId);
        return gateway.rolesOf(userId)!.join() === wanted.get(userId)!.join();
      });
      if (
        foundTotals !== totalsDrift.length ||
        foundRoles !== rolesDrift.length ||
        !repairedRoles
      ) {
        throw new Error(
          `planted ${totalsDrift.length} totals + ${rolesDrift.length} role drifts, ` +
            `found ${foundTotals} + ${foundRoles} (roles repaired: ${repairedRoles})`,
        );
      }
      return {
        accounts: report.checked.accounts,
        discordMembers: report.checked.members,
        seconds: round(seconds, 1),
        planted: totalsDrift.length + rolesDrift.length,
        found: foundTotals + foundRoles,
        drifted: report.drifted,
        fixed: report.fixed,
        gatewayCalls: gateway.calls.length,
        peakRssMb: peakRssMb(),
      };
    } finally {
      await bench?.close();
      await pool.end();
      await redis.stop();
      await database.drop();
    }
  },
};

/** Accounts spread over the ranks, each with one ledger row equal to its totals. */
async function seed(pool: Pool): Promise<void> {
  await pool.query(
    `INSERT INTO accounts (xp, coins, rank_id)
     SELECT x.xp, x.xp / 10, rank_for_xp(x.xp::bigint)
       FROM (SELECT (g * 7919) % 250000 AS xp FROM generate_series(1, $1) AS g) x`,
    [ACCOUNTS],
  );
  await pool.query(
    `INSERT INTO ledger_entries (account_id, xp_delta, coins_delta, reason, source, idempotency_key)
     SELECT id, xp, coins, 'admin_adjustment', 'admin', 'seed:' || id FROM accounts WHERE xp > 0`,
  );
  await pool.query(`ANALYZE`);
}
