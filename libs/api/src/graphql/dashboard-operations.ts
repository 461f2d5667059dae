/**
 * The named operations the dashboard (apps/dashboard) sends: the only operation names that get
 * their own metrics series. Any other name is `other`, an unnamed operation `anonymous`, so a
 * client inventing names cannot grow /metrics. dashboard-operations.spec.ts keeps this list and
 * the dashboard's sources in step.
 */
export const DASHBOARD_OPERATION_NAMES: ReadonlySet<string> = new Set([
  'Adjust',
  'ById',
  'CreateXpEvent',
  'DeleteXpEvent',
  'MySettings',
  'RemoveXpMultiplier',
  'SetAnnouncements',
  'SetXpGlobal',
  'SetXpMultiplier',
  'UpdateMySettings',
  'XpRules',
  'ByIdentity',
  'Event',
  'Events',
  'Login',
  'Mine',
  'Overview',
  'Profile',
  'R',
  'RoleNames',
  'Seasons',
  'SetAchievement',
  'SetRank',
  'Settings',
  'Top',
]);

/** The bounded metrics label of an operation name. */
export function operationNameLabel(name: string | null | undefined): string {
  if (!name) return 'anonymous';
  return DASHBOARD_OPERATION_NAMES.has(name) ? name : 'other';
}
