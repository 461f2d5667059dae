/** What the evaluator checks on its schedule. */
export const EVALUATED_ALERT_KINDS = [
  'failed_events',
  'oldest_pending',
  'reconcile_drift',
  'season_overdue',
] as const;
export type EvaluatedAlertKind = (typeof EVALUATED_ALERT_KINDS)[number];

export interface Alert {
  /**
   * Names the condition; the quiet period is per kind. The evaluator's kinds, or what the sync
   * engine raises through its AlertPublisher port (`reconcile_removal_cap`: the role-removal
   * guard tripped, `reconcile_empty_member_list`, ...).
   */
  kind: EvaluatedAlertKind | (string & {});
  /** One line a human reads in a chat. */
  message: string;
}
