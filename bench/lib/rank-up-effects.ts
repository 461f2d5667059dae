import type { DrillGuild } from '../faults/drill-guild';
import type { RankUp } from './rank-up-members';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What the fake Discord shows of the bench's rank-ups, read from outside the app: whether each
 * member holds the new rank role and no longer the old one, whether the DMs the bench expects
 * arrived, and when the fake received each new role's PUT.
 */
export class RankUpEffects {
  private readonly dmsExpected = new Map<string, number>();

  constructor(private readonly guild: DrillGuild) {}

  /** This rank-up's member wants DMs: one more message must reach their DM channel. */
  expectDm(rankUp: RankUp): void {
    const userId = rankUp.member.userId;
    this.dmsExpected.set(userId, (this.dmsExpected.get(userId) ?? 0) + 1);
  }

  /**
   * The rank-up's old role is gone and its new one held, or, when a later rank-up of the member
   * superseded it, gone as well (one convergence may serve both: the middle role never comes).
   */
  roleLanded(rankUp: RankUp): boolean {
    const roles = this.guild.rolesOf(rankUp.member.userId) ?? [];
    const superseded = rankUp.member.rank > rankUp.rank;
    return !roles.includes(rankUp.previousRoleId) && roles.includes(rankUp.roleId) !== superseded;
  }

  dmsArrived(userId: string): boolean {
    return this.guild.fake.dms(userId).length >= (this.dmsExpected.get(userId) ?? 0);
  }

  /** Role swapped and every expected DM there, for each rank-up. */
  settled(rankUps: readonly RankUp[]): boolean {
    return rankUps.every((r) => this.roleLanded(r) && this.dmsArrived(r.member.userId));
  }

  /** Rank-ups whose role has not landed, and members still owed a DM. */
  backlog(rankUps: readonly RankUp[]): { roles: number; dms: number } {
    const owed = new Set(rankUps.map((r) => r.member.userId));
    return {
      roles: rankUps.filter((r) => !this.roleLanded(r)).length,
      dms: [...owed].filter((userId) => !this.dmsArrived(userId)).length,
    };
  }

  async waitSettled(rankUps: readonly RankUp[], timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.settled(rankUps)) {
      if (Date.now() > deadline) {
        const left = this.backlog(rankUps);
        throw new Error(
          `${what}: not settled in ${timeoutMs} ms (${left.roles} roles and ${left.dms} DMs missing)`,
        );
      }
      await sleep(100);
    }
  }

  /**
   * Waits until the fake has seen no new call for `quietMs` (at most `maxMs`): calls that come
   * after the visible effects (a read or a repeat) are counted too.
   */
  async waitQuiet(quietMs: number, maxMs: number): Promise<void> {
    const end = Date.now() + maxMs;
    let seen = this.guild.mark();
    let quietSince = Date.now();
    while (Date.now() < end && Date.now() - quietSince < quietMs) {
      await sleep(50);
      const now = this.guild.mark();
      if (now !== seen) {
        seen = now;
        quietSince = Date.now();
      }
    }
  }

  /** When the fake applied each role PUT (first 2xx), by `userId:roleId`. */
  rolePutTimes(): Map<string, number> {
    const times = new Map<string, number>();
    for (const call of this.guild.fake.roleCalls()) {
      if (call.method !== 'PUT') continue;
      const key = `${call.userId}:${call.roleId}`;
      if (!times.has(key)) times.set(key, call.at);
    }
    return times;
  }
}

export function putKey(rankUp: RankUp): string {
  return `${rankUp.member.userId}:${rankUp.roleId}`;
}
