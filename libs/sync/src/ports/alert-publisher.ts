export const ALERT_KINDS = [
  'reconcile_empty_member_list',
  'reconcile_member_list_failed',
  'reconcile_empty_mapping',
  'reconcile_removal_cap',
  'reconcile_failed',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export interface Alert {
  kind: AlertKind;
  message: string;
  details?: Record<string, string | number | boolean | null>;
}

/** Where operator alerts go (observability routes them to chats). */
export abstract class AlertPublisher {
  abstract publish(alert: Alert): Promise<void>;
}
