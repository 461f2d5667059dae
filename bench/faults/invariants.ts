import { Pool } from 'pg';
import { wantedRolesByUser } from '../lib/guild';
import { DrillGuild } from './drill-guild';

export interface InvariantReport {
  events: number;
  open: number;
  failed: number;
  fired: number;
  ledgerRows: number;
  lost: number;
  duplicates: number;
  firedXp: number;
  ledgerXp: number;
  driftedAccounts: number;
  membersWrong: number;
  roleChanges: number;
  needlessRoleCalls: number;
  reconcileFixes: number;
  dms: number;
  repeatedDms: number;
  /** DM sends with a nonce seen before (a lost answer or a re-run event sends again). */
  dmResendAttempts: number;
  /** Messages Discord created twice for one nonce: a DM the player got twice. */
  dmsCreatedTwice: number;
  problems: string[];
}

/**
 * The invariants of ARCHITECTURE.md (Testing), checked after every drill: totals equal ledger
 * sums; one ledger row per fired key (no loss, no duplicate); the fired deltas sum to the
 * ledger's; every outbox row completed (polled, bounded); every member holds exactly the wanted
 * roles; no role call that changed nothing (a PUT of a held role, a DELETE of a missing one),
 * read from the fake Discord's REST log; no member PATCH at all; no crash inside the fake.
 * What reconcile repaired is reported, not failed on: a run that overlaps in-flight events may
 * converge a member first, legitimately.
 */
export async function checkInvariants(
  pool: Pool,
  fired: Map<string, number>,
  guild: DrillGuild,
  settleMs: number,
): Promise<InvariantReport> {
  const deadline = Date.now() + settleMs;
  let counts = await eventCounts(pool);
  while (counts.open > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    counts = await eventCounts(pool);
  }
  const keys = [...fired.keys()].map((key) => `admin:${key}`);
  const ledger = await pool.query<{ rows: number; keys: number; xp: string | null }>(
    `SELECT count(*)::int AS rows, count(DISTINCT idempotency_key)::int AS keys,
            sum(xp_delta) AS xp
       FROM ledger_entries WHERE idempotency_key = ANY($1::text[])`,
    [keys],
  );
  const drifted = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM accounts a
       LEFT JOIN LATERAL (SELECT coalesce(sum(xp_delta), 0) AS xp, coalesce(sum(coins_delta), 0) AS coins
                            FROM ledger_entries l WHERE l.account_id = a.id) s ON true
      WHERE a.xp <> s.xp OR a.coins <> s.coins`,
  );
  const fixes = await pool.query<{ n: string | null }>(
    `SELECT sum(coalesce((fixed->>'totals')::int, 0) + coalesce((fixed->>'rank')::int, 0)
              + coalesce((fixed->>'rolesAdded')::int, 0) + coalesce((fixed->>'rolesRemoved')::int, 0)) AS n
       FROM reconcile_reports`,
  );
  let membersWrong = 0;
  for (const [userId, roles] of await wantedRolesByUser(pool)) {
    if ((guild.rolesOf(userId) ?? []).join() !== roles.join()) membersWrong += 1;
  }
  const changes = guild.roleChanges();
  const dms = guild.directMessages();
  const resends = guild.dmResends();
  let firedXp = 0;
  for (const delta of fired.values()) firedXp += delta;
  const row = ledger.rows[0];
  const report: InvariantReport = {
    events: counts.total,
    open: counts.open,
    failed: counts.failed,
    fired: fired.size,
    ledgerRows: row.rows,
    lost: fired.size - row.keys,
    duplicates: row.rows - row.keys,
    firedXp,
    ledgerXp: Number(row.xp ?? 0),
    driftedAccounts: drifted.rows[0].n,
    membersWrong,
    roleChanges: changes.length,
    needlessRoleCalls: changes.filter((c) => c.needless).length,
    reconcileFixes: Number(fixes.rows[0].n ?? 0),
    dms: dms.sent,
    repeatedDms: dms.repeated,
    dmResendAttempts: resends.attempts,
    dmsCreatedTwice: resends.createdTwice,
    problems: [],
  };
  const expect = (ok: boolean, problem: string): void => {
    if (!ok) report.problems.push(problem);
  };
  expect(report.open === 0, `${report.open} events still open after ${settleMs} ms`);
  expect(report.failed === 0, `${report.failed} events failed`);
  expect(report.lost === 0, `${report.lost} fired adjustments have no ledger row`);
  expect(report.duplicates === 0, `${report.duplicates} duplicate ledger rows`);
  expect(report.firedXp === report.ledgerXp, `fired ${firedXp} XP, ledger has ${report.ledgerXp}`);
  expect(report.driftedAccounts === 0, `${report.driftedAccounts} accounts drifted from ledger`);
  expect(report.membersWrong === 0, `${membersWrong} members do not hold the wanted roles`);
  expect(
    report.needlessRoleCalls === 0,
    `${report.needlessRoleCalls} role calls changed nothing (${guild.explainNeedless().join(' | ')})`,
  );
  expect(
    report.dmsCreatedTwice === 0,
    `${report.dmsCreatedTwice} direct messages created twice for one nonce`,
  );
  const patches = guild.memberPatches();
  expect(patches === 0, `${patches} member PATCHes (a full role list) reached Discord`);
  const fakeProblems = guild.problems();
  expect(fakeProblems.length === 0, `the fake Discord reports: ${fakeProblems.join(' | ')}`);
  return report;
}

async function eventCounts(pool: Pool): Promise<{ total: number; open: number; failed: number }> {
  const rows = await pool.query<{ total: number; open: number; failed: number }>(
    `SELECT count(*)::int AS total,
            count(*) FILTER (WHERE status IN ('pending', 'processing'))::int AS open,
            count(*) FILTER (WHERE status = 'failed')::int AS failed
       FROM sync_events`,
  );
  return rows.rows[0];
}
