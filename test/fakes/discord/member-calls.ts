/**
 * Calls about one guild member in flight at the fake at the same time: reading the member and
 * PUT / DELETE / PATCH of its roles. Two convergences of one member at once (two workers both
 * believing they hold the member) show here as an overlap, whichever process made the calls.
 *
 * A call is in flight from its arrival until its answer is written (or left unanswered). Real
 * Discord takes tens of milliseconds per answer; `latencyMs` holds each member call that long
 * before it is answered, which widens the window in which an overlap can be seen.
 */
import { matchPattern } from './route-pattern';
import { compareSnowflakes } from './snowflake';

/** One member's calls as the fake saw them. */
export interface MemberCallCount {
  userId: string;
  calls: number;
  /** Calls that arrived while another call for the same member was in flight. */
  overlaps: number;
}

const MEMBER_ROUTES = [
  '/guilds/:guildId/members/:userId',
  '/guilds/:guildId/members/:userId/roles/:roleId',
];

export class MemberCalls {
  private readonly inFlight = new Map<string, number>();
  private readonly counts = new Map<string, MemberCallCount>();

  constructor(private readonly latencyMs: number) {}

  /**
   * Marks a request's arrival (`path` without the /api/vN prefix). Returns what to call once its
   * answer is written, or undefined when the request is not about one member.
   */
  begin(path: string): (() => void) | undefined {
    const userId = memberOf(path);
    if (userId === null) return undefined;
    const count = this.counts.get(userId) ?? { userId, calls: 0, overlaps: 0 };
    this.counts.set(userId, count);
    count.calls += 1;
    const active = this.inFlight.get(userId) ?? 0;
    if (active > 0) count.overlaps += 1;
    this.inFlight.set(userId, active + 1);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.inFlight.set(userId, (this.inFlight.get(userId) ?? 1) - 1);
    };
  }

  /** Holds a member call for the configured latency before it is answered. */
  async hold(path: string): Promise<void> {
    if (this.latencyMs > 0 && memberOf(path) !== null) {
      await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    }
  }

  /** Every member that got a call, in user-id order. */
  snapshot(): MemberCallCount[] {
    return [...this.counts.values()]
      .map((count) => ({ ...count }))
      .sort((a, b) => compareSnowflakes(a.userId, b.userId));
  }
}

/** The member a path is about, or null (the bot's own member, `@me`, is not one). */
function memberOf(path: string): string | null {
  for (const pattern of MEMBER_ROUTES) {
    const params = matchPattern(pattern, path);
    if (params?.userId && params.userId !== '@me') return params.userId;
  }
  return null;
}
