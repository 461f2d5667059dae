import { rankForXp } from '@ttfd/economy';
import { ImportNote, ImportPlan, ImportSource, OfferedRoleMapping } from './import-plan';
import { WriteTotals } from './import-writer';

/** Notes kept in a report in full; past this, counts by kind only. */
const NOTES_KEPT = 200;

export interface ImportReport {
  source: ImportSource;
  dryRun: boolean;
  /** Players in the source (after duplicates). */
  players: number;
  /** New profiles, and profiles that already existed (a player who used our bots, or a re-run). */
  created: number;
  matched: number;
  entries: { planned: number; written: number; alreadyPresent: number };
  /** What the source carries, and what this run actually added (0 on a re-run). */
  xp: { planned: number; written: number };
  coins: { planned: number; written: number };
  /** Players per rank their imported XP alone reaches (rank id -> count). */
  rankDistribution: Record<string, number>;
  achievementsUnlocked: number;
  notes: { byKind: Record<string, number>; first: ImportNote[] };
  roleMappings: { offered: OfferedRoleMapping[]; applied: boolean };
  /** Bulk role convergence asked for current guild members (contract with the sync lane). */
  roles: { requested: number; note: string } | null;
  /** True when every row was already there: this run changed nothing. */
  unchanged: boolean;
  summary: string;
}

export function buildReport(
  plan: ImportPlan,
  totals: WriteTotals,
  options: { dryRun: boolean; roleMappingsApplied: boolean },
): ImportReport {
  const distribution: Record<string, number> = {};
  let plannedEntries = 0;
  const xp = { planned: 0, written: totals.xpWritten };
  const coins = { planned: 0, written: totals.coinsWritten };
  for (const player of plan.players) {
    let playerXp = 0;
    for (const entry of player.entries) {
      plannedEntries += 1;
      playerXp += entry.xp;
      xp.planned += entry.xp;
      coins.planned += entry.coins;
    }
    const rank = String(rankForXp(Math.max(0, playerXp)).id);
    distribution[rank] = (distribution[rank] ?? 0) + 1;
  }
  const byKind: Record<string, number> = {};
  for (const note of plan.notes) byKind[note.kind] = (byKind[note.kind] ?? 0) + 1;
  const unchanged =
    !options.dryRun &&
    totals.entriesWritten === 0 &&
    totals.created === 0 &&
    totals.achievementsUnlocked === 0 &&
    !options.roleMappingsApplied;
  const report: ImportReport = {
    source: plan.source,
    dryRun: options.dryRun,
    players: plan.players.length,
    created: totals.created,
    matched: totals.matched,
    entries: {
      planned: plannedEntries,
      written: totals.entriesWritten,
      alreadyPresent: totals.entriesAlreadyPresent,
    },
    xp,
    coins,
    rankDistribution: distribution,
    achievementsUnlocked: totals.achievementsUnlocked,
    notes: { byKind, first: plan.notes.slice(0, NOTES_KEPT) },
    roleMappings: { offered: plan.offeredRoleMappings, applied: options.roleMappingsApplied },
    roles: null,
    unchanged,
    summary: '',
  };
  report.summary = summarize(report);
  return report;
}

function summarize(report: ImportReport): string {
  const n = (value: number) => value.toLocaleString('en-US');
  if (report.unchanged) {
    return `Nothing changed: all ${n(report.entries.planned)} rows of ${n(report.players)} players were already imported.`;
  }
  const verb = report.dryRun ? 'would import' : 'imported';
  return (
    `${report.source} ${verb} ${n(report.players)} players (${n(report.created)} new, ` +
    `${n(report.matched)} existing profiles): ${n(report.dryRun ? report.entries.planned : report.entries.written)} ledger rows, ` +
    `${n(report.dryRun ? report.xp.planned : report.xp.written)} XP, ` +
    `${n(report.dryRun ? report.coins.planned : report.coins.written)} coins` +
    (report.entries.alreadyPresent > 0
      ? `; ${n(report.entries.alreadyPresent)} rows were already there`
      : '') +
    '.'
  );
}

/** The report as an operator reads it in a terminal. */
export function formatReport(report: ImportReport): string {
  const lines = [report.summary];
  lines.push(
    `  players ${report.players}, new ${report.created}, existing ${report.matched}`,
    `  ledger rows: planned ${report.entries.planned}, written ${report.entries.written}, already present ${report.entries.alreadyPresent}`,
    `  XP: ${report.xp.planned} in the source, ${report.xp.written} written; coins: ${report.coins.planned} in the source, ${report.coins.written} written`,
    `  achievements unlocked: ${report.achievementsUnlocked}`,
    '  rank distribution (rank: players):',
  );
  for (const [rank, count] of Object.entries(report.rankDistribution).sort(
    (a, b) => Number(a[0]) - Number(b[0]),
  )) {
    lines.push(`    ${rank.padStart(2)}: ${count}`);
  }
  for (const [kind, count] of Object.entries(report.notes.byKind))
    lines.push(`  ${kind}: ${count}`);
  for (const note of report.notes.first.slice(0, 50)) {
    lines.push(`    ${note.subject}: ${note.detail}`);
  }
  if (report.roleMappings.offered.length > 0) {
    lines.push(
      report.roleMappings.applied
        ? '  rank-role mappings applied from the source:'
        : '  rank-role mappings offered (apply with --apply-role-rewards):',
    );
    for (const m of report.roleMappings.offered) {
      lines.push(`    rank ${m.rankId} -> role ${m.discordRoleId} (${m.origin})`);
    }
  }
  if (report.roles) lines.push(`  roles: ${report.roles.note}`);
  return lines.join('\n');
}
