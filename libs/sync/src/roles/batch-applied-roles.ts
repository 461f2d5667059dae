import { AppliedRoles, MemberAppliedRoles } from './applied-roles';

/**
 * The stored roles of a lane batch's members, kept with the batch's own two statements instead
 * of two per member: the claim took them (marked unknown, `ClaimedEvent.storedRoles` says what
 * they were) under the member's lease, and the settle stores what `toStore` lists, fenced by
 * that lease. A member is listed with what its convergence left, or with what the claim took
 * when nothing changed them (no role event, no Discord in this process); one whose convergence
 * failed midway is not listed, so its roles stay unknown and the next convergence reads them.
 */
export class BatchAppliedRoles {
  private readonly taken = new Map<string, string[]>();
  private readonly settled = new Map<string, string[]>();

  constructor(
    private readonly applied: AppliedRoles,
    claimed: Iterable<{ member: string | null; storedRoles: string[] | null }>,
  ) {
    for (const { member, storedRoles } of claimed) {
      if (member === null || storedRoles === null) continue;
      this.taken.set(member, storedRoles);
      this.settled.set(member, storedRoles);
    }
  }

  /** For a convergence of `member` in this batch. */
  of(member: string): MemberAppliedRoles {
    return {
      // Taken by the claim already: the convergence plans from what was stored.
      takeUnlessSettled: () =>
        Promise.resolve({ roles: this.taken.get(member) ?? null, taken: true }),
      take: () => Promise.resolve(),
      store: (roleIds) => {
        this.settled.set(member, [...new Set(roleIds)].sort());
        return Promise.resolve();
      },
      forget: async () => {
        this.settled.delete(member);
        await this.applied.forget(member);
      },
    };
  }

  /** The convergence of `member` failed: whatever its calls did, its roles stay unknown. */
  unknown(member: string): void {
    this.settled.delete(member);
  }

  /** What the settle stores, member by member. */
  toStore(): { member: string; roleIds: string[] }[] {
    return [...this.settled].map(([member, roleIds]) => ({ member, roleIds }));
  }
}
