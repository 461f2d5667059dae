/**
 * The convergent role change for one member: remove the managed roles it has but should not,
 * add the wanted ones it lacks. Roles we do not manage are never touched, whatever they are.
 * Sorted so that calls happen in a stable order.
 */
export function planRoleChanges(
  current: Iterable<string>,
  wanted: Iterable<string>,
  managed: Iterable<string>,
): { remove: string[]; add: string[] } {
  const has = new Set(current);
  const want = new Set(wanted);
  const managedSet = new Set(managed);
  const remove = [...has].filter((role) => managedSet.has(role) && !want.has(role)).sort();
  const add = [...want].filter((role) => !has.has(role)).sort();
  return { remove, add };
}

/**
 * The managed roles an account earns: its current rank's role (rank roles replace each other:
 * only the current one) and the role of every achievement it has (they stack).
 */
export function wantedRoles(
  rankRoleId: string | null | undefined,
  achievementRoleIds: Iterable<string | null | undefined>,
): string[] {
  const wanted = new Set<string>();
  if (rankRoleId) wanted.add(rankRoleId);
  for (const role of achievementRoleIds) if (role) wanted.add(role);
  return [...wanted].sort();
}
