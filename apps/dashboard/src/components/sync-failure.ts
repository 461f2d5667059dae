import { h } from '../dom';

/** `sync_events.failure`, as the transport records a refused attempt. */
export interface SyncFailure {
  message: string;
  httpStatus: number | null;
  discordCode: number | null;
  roleId: string | null;
  memberId: string | null;
}

/** Role names by id, when the guild's roles could be read. */
export type RoleNames = ReadonlyMap<string, string>;

const roleText = (roleId: string | null, names: RoleNames) =>
  roleId ? `“${names.get(roleId) ?? `role ${roleId}`}”` : 'a role';
const memberText = (memberId: string | null) =>
  memberId ? `Discord member ${memberId}` : 'the member';

/** Discord's JSON error codes this advice knows; the rest fall back to the message. */
const MISSING_PERMISSIONS = 50013;
const UNKNOWN_ROLE = 10011;
const UNKNOWN_MEMBER = 10007;

/** The code, from the stored failure or, for older events, from the error text. */
function codeOf(failure: SyncFailure | null, lastError: string | null): number | null {
  if (failure?.discordCode) return failure.discordCode;
  const text = failure?.message ?? lastError ?? '';
  if (/Missing Permissions/i.test(text)) return MISSING_PERMISSIONS;
  if (/Unknown Role/i.test(text)) return UNKNOWN_ROLE;
  if (/Unknown Member/i.test(text)) return UNKNOWN_MEMBER;
  return null;
}

/**
 * A failed event in sentences: what Discord refused, for which role and member, and what to do.
 */
export function failureAdvice(
  failure: SyncFailure | null,
  lastError: string | null,
  names: RoleNames,
): { what: string; todo: string } | null {
  if (!failure && !lastError) return null;
  const role = roleText(failure?.roleId ?? null, names);
  const member = memberText(failure?.memberId ?? null);
  const status = failure?.httpStatus ?? null;
  switch (codeOf(failure, lastError)) {
    case MISSING_PERMISSIONS:
      return {
        what: `Discord refused to change ${role} for ${member}: the bot is not allowed to manage that role.`,
        todo: `Move the bot's role above ${role} in Server Settings → Roles (and keep its Manage Roles permission), then retry.`,
      };
    case UNKNOWN_ROLE:
      return {
        what: `Discord says ${role} no longer exists.`,
        todo: 'Pick an existing role for it on the Settings page, then retry.',
      };
    case UNKNOWN_MEMBER:
      return {
        what: `${member.charAt(0).toUpperCase()}${member.slice(1)} is not in the Discord server any more.`,
        todo: 'Nothing to do: the roles follow when they come back.',
      };
    default:
      if (status === 429 || (status !== null && status >= 500)) {
        return {
          what: `Discord was unavailable (HTTP ${status}) while changing ${role} for ${member}.`,
          todo: 'Retry once Discord answers again.',
        };
      }
      return {
        what: failure?.message || lastError || 'The event failed.',
        todo: 'Check the error below, then retry.',
      };
  }
}

export function failureBox(
  failure: SyncFailure | null,
  lastError: string | null,
  names: RoleNames,
): HTMLElement | null {
  const advice = failureAdvice(failure, lastError, names);
  if (!advice) return null;
  return h(
    'div',
    { class: 'warning', id: 'failure-advice', role: 'note' },
    h('p', { class: 'failure-what' }, advice.what),
    h('p', { class: 'failure-todo' }, h('strong', {}, 'What to do: '), advice.todo),
  );
}
