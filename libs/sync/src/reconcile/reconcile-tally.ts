import { Alert } from '../ports/alert-publisher';

/** What one reconcile run counted, per kind of check; saved as its report (reconcile_reports). */
export interface ReconcileTally {
  checked: Record<string, number>;
  drifted: Record<string, number>;
  fixed: Record<string, number>;
  alerts: Alert[];
}

/** What a check of one kind (season scores, read counters) found and repaired. */
export interface CheckOutcome {
  checked: number;
  drifted: number;
  fixed: number;
}

/** The counters every report has, even at zero. */
export function emptyTally(): ReconcileTally {
  return {
    checked: { accounts: 0, seasonScores: 0, counters: 0, members: 0, unknownMembers: 0 },
    drifted: { totals: 0, rank: 0, seasonScores: 0, counters: 0, rolesMissing: 0, rolesExtra: 0 },
    fixed: { totals: 0, rank: 0, seasonScores: 0, counters: 0, rolesAdded: 0, rolesRemoved: 0 },
    alerts: [],
  };
}

export function addOutcome(tally: ReconcileTally, kind: string, outcome: CheckOutcome): void {
  tally.checked[kind] = (tally.checked[kind] ?? 0) + outcome.checked;
  tally.drifted[kind] = (tally.drifted[kind] ?? 0) + outcome.drifted;
  tally.fixed[kind] = (tally.fixed[kind] ?? 0) + outcome.fixed;
}
