/**
 * Role calls read out of the REST log: single-role PUT / DELETE, and any member PATCH (which
 * may carry a full role list, the thing the app must never send because it rewrites roles it
 * does not manage). Fault drills count these against the real role changes.
 */
import { asRecord, stringArray } from './json';
import { matchPattern } from './route-pattern';
import type { RestCall, RoleCall } from './types';

export function toRoleCalls(calls: RestCall[], botId: string, includeFailed: boolean): RoleCall[] {
  const result: RoleCall[] = [];
  const userIdOf = (pathUserId: string) => (pathUserId === '@me' ? botId : pathUserId);
  for (const call of calls) {
    if (!includeFailed && (call.status < 200 || call.status >= 300)) continue;
    const single = matchPattern('/guilds/:guildId/members/:userId/roles/:roleId', call.path);
    if (single && (call.method === 'PUT' || call.method === 'DELETE')) {
      result.push({
        method: call.method,
        guildId: single.guildId!,
        userId: userIdOf(single.userId!),
        roleId: single.roleId!,
        status: call.status,
        at: call.at,
      });
      continue;
    }
    const member = matchPattern('/guilds/:guildId/members/:userId', call.path);
    if (member && call.method === 'PATCH') {
      const roles = stringArray(asRecord(call.body).roles);
      result.push({
        method: 'PATCH',
        guildId: member.guildId!,
        userId: userIdOf(member.userId!),
        ...(roles ? { roles } : {}),
        status: call.status,
        at: call.at,
      });
    }
  }
  return result;
}
