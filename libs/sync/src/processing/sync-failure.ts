/**
 * `sync_events.failure`: what the platform refused on an event's last failed attempt, beside
 * `last_error`, so the admin events page can say which role and member Discord refused and
 * what to do (`{ message, httpStatus, discordCode, roleId, memberId }`).
 */
export interface SyncFailureRecord {
  message: string;
  httpStatus: number | null;
  discordCode: number | null;
  roleId: string | null;
  memberId: string | null;
}

/**
 * A failed role change as the Discord adapter's RoleCallError words it, behind the `roles: `
 * of SyncEffectsService: `roles: PUT role 123 on member 456: Discord 50013 Missing Permissions
 * (403)`, or `...: role paused until <time> ...` when no call was made. The wording is the
 * contract between the two (the adapter cannot hand the outbox an object through a thrown
 * error's trip across the batch), so it is parsed here and nowhere else.
 */
const ROLE_CALL =
  /^roles: (?:PUT|DELETE) role (\d+) on member (\d+): (?:Discord (\d+) [\s\S]*\((\d{3})\)$)?/;

/** The stored failure for an error message: the role call's details when it names one. */
export function failureRecord(error: string): SyncFailureRecord {
  const match = ROLE_CALL.exec(error);
  return {
    message: error,
    httpStatus: match?.[4] ? Number(match[4]) : null,
    discordCode: match?.[3] ? Number(match[3]) : null,
    roleId: match?.[1] ?? null,
    memberId: match?.[2] ?? null,
  };
}
