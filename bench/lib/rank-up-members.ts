import type { Pool } from 'pg';
import { MAX_RANK_ID, RANK_ACHIEVEMENTS, rankThreshold } from '@ttfd/economy';
import { send } from '../faults/driver';
import { discordUserId, linkDiscord, rankRoleId } from './guild';

/** One linked Discord member of a bench, and the rank the bench has lifted them to so far. */
export interface BenchMember {
  accountId: string;
  userId: string;
  rank: number;
}

/** One award the API answered: the member's new rank role, the one it replaces, and when. */
export interface RankUp {
  member: BenchMember;
  /** The rank this award lifted the member to. */
  rank: number;
  roleId: string;
  previousRoleId: string;
  /** Date.now() when the API's answer arrived (the fake stamps its calls with Date.now()). */
  answeredAt: number;
}

/**
 * `count` accounts at exactly `rank` (its threshold XP, one ledger row equal to the totals, the
 * rank achievements up to it already unlocked, as awards would have left them), each linked to
 * a Discord member (user id from discordUserId()).
 */
export async function seedMembersAtRank(
  pool: Pool,
  count: number,
  rank: number,
): Promise<BenchMember[]> {
  const xp = rankThreshold(rank);
  const created = await pool.query<{ id: string }>(
    `INSERT INTO accounts (xp, rank_id) SELECT $2, $3 FROM generate_series(1, $1) RETURNING id`,
    [count, xp, rank],
  );
  const ids = created.rows.map((row) => String(row.id)).sort((a, b) => Number(a) - Number(b));
  await pool.query(
    `INSERT INTO ledger_entries (account_id, xp_delta, coins_delta, reason, source, idempotency_key)
     SELECT id, $2, 0, 'admin_adjustment', 'admin', 'seed:' || id FROM unnest($1::bigint[]) AS id`,
    [ids, xp],
  );
  const earned = RANK_ACHIEVEMENTS.filter((a) => a.rankId <= rank).map((a) => a.code);
  await pool.query(
    `INSERT INTO account_achievements (account_id, achievement_code)
     SELECT id, code FROM unnest($1::bigint[]) AS id, unnest($2::text[]) AS code`,
    [ids, earned],
  );
  await linkDiscord(pool, ids);
  return ids.map((accountId) => ({ accountId, userId: discordUserId(accountId), rank }));
}

/**
 * Lifts a member exactly one rank per award through the admin REST API (an adjustment, as an
 * operator or a script sends it), so every award is one rank-up: one role to swap and one DM.
 * A rank that unlocks an achievement is refused, because its award would also carry the
 * achievement's role and message and no longer be one rank-up.
 */
export class HttpRankUps {
  constructor(
    private readonly apiUrl: string,
    private readonly label: string,
  ) {}

  static canRise(member: BenchMember): boolean {
    const next = member.rank + 1;
    return next <= MAX_RANK_ID && !RANK_ACHIEVEMENTS.some((a) => a.rankId === next);
  }

  async rankUp(member: BenchMember): Promise<RankUp> {
    if (!HttpRankUps.canRise(member)) {
      throw new Error(`member ${member.userId} at rank ${member.rank} has no plain rank-up left`);
    }
    // Taken before the award: two concurrent callers never award the same rank twice.
    const to = ++member.rank;
    await send(
      this.apiUrl,
      member.accountId,
      `${this.label}-${member.accountId}-${to}`,
      rankThreshold(to) - rankThreshold(to - 1),
    );
    return {
      member,
      rank: to,
      roleId: rankRoleId(to),
      previousRoleId: rankRoleId(to - 1),
      answeredAt: Date.now(),
    };
  }
}

/**
 * Hands out members round-robin, skipping those with no plain rank-up left, so a member's next
 * rank-up comes as late as the pool allows (two pending rank-ups of one member could be served
 * by one convergence, which would make Discord's calls look cheaper than they are).
 */
export class MemberRing {
  private cursor = 0;

  constructor(private readonly members: readonly BenchMember[]) {}

  next(): BenchMember {
    for (let tried = 0; tried < this.members.length; tried++) {
      const member = this.members[this.cursor++ % this.members.length]!;
      if (HttpRankUps.canRise(member)) return member;
    }
    throw new Error('every member is at a rank without a plain rank-up: seed more members');
  }
}
