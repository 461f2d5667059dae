// The fake's recorded calls are test code's shapes; the rule is about libraries' aliases.
// eslint-disable-next-line no-restricted-imports
import type { RestCall } from '../../test/fakes/discord';

/** What a REST call did to one member, in Discord's terms. */
export const MEMBER_CALL_KINDS = [
  'memberRead',
  'rolePut',
  'roleDelete',
  'dmChannel',
  'message',
] as const;
export type MemberCallKind = (typeof MEMBER_CALL_KINDS)[number];

const MEMBER = /^\/guilds\/\d+\/members\/(\d+)$/;
const MEMBER_ROLE = /^\/guilds\/\d+\/members\/(\d+)\/roles\/\d+$/;
const CHANNEL_MESSAGES = /^\/channels\/(\d+)\/messages$/;

/**
 * The member a call concerned and what it was: a member read, a role PUT or DELETE, opening the
 * member's DM channel, or a message into it (`dmOwner` names a DM channel's user). Undefined for
 * every other call (role lists, member listings, a guild channel's messages).
 */
export function memberCallOf(
  call: Pick<RestCall, 'method' | 'path' | 'body'>,
  dmOwner: (channelId: string) => string | undefined,
): { userId: string; kind: MemberCallKind } | undefined {
  const role = MEMBER_ROLE.exec(call.path);
  if (role && call.method === 'PUT') return { userId: role[1]!, kind: 'rolePut' };
  if (role && call.method === 'DELETE') return { userId: role[1]!, kind: 'roleDelete' };
  const member = MEMBER.exec(call.path);
  if (member && call.method === 'GET') return { userId: member[1]!, kind: 'memberRead' };
  if (call.method === 'POST' && call.path === '/users/@me/channels') {
    const recipient = (call.body as { recipient_id?: unknown } | undefined)?.recipient_id;
    return typeof recipient === 'string' ? { userId: recipient, kind: 'dmChannel' } : undefined;
  }
  const messages = CHANNEL_MESSAGES.exec(call.path);
  const owner = messages && call.method === 'POST' ? dmOwner(messages[1]!) : undefined;
  return owner === undefined ? undefined : { userId: owner, kind: 'message' };
}

/** Calls on a set of members, by kind; `rateLimited`: how many of them were answered 429. */
export interface MemberCallTally {
  byKind: Record<MemberCallKind, number>;
  total: number;
  rateLimited: number;
}

/**
 * Every call on `users` among `calls`, whatever its answer: a request Discord refused with 429
 * was still spent against its limits, so it is counted (and shown apart in `rateLimited`).
 */
export function tallyMemberCalls(
  calls: readonly RestCall[],
  users: ReadonlySet<string>,
  dmOwner: (channelId: string) => string | undefined,
): MemberCallTally {
  const byKind = Object.fromEntries(MEMBER_CALL_KINDS.map((kind) => [kind, 0])) as Record<
    MemberCallKind,
    number
  >;
  let total = 0;
  let rateLimited = 0;
  for (const call of calls) {
    const concerned = memberCallOf(call, dmOwner);
    if (!concerned || !users.has(concerned.userId)) continue;
    byKind[concerned.kind] += 1;
    total += 1;
    if (call.status === 429) rateLimited += 1;
  }
  return { byKind, total, rateLimited };
}
