/** Builders of MEE6 leaderboard pages for tests and the bench (production dependencies only). */
export const TEST_GUILD_ID = '700000000000000001';

export interface Mee6Player {
  id: string;
  username: string;
  xp: number;
  level: number;
  message_count: number;
  detailed_xp: [number, number, number];
  avatar: string;
}

/** MEE6's level for an XP amount (its curve: 5L^2 + 50L + 100 per level). */
export function mee6Level(xp: number): number {
  let level = 0;
  let left = xp;
  while (left >= 5 * level * level + 50 * level + 100) {
    left -= 5 * level * level + 50 * level + 100;
    level += 1;
  }
  return level;
}

export function mee6Player(id: string, xp: number): Mee6Player {
  return {
    id,
    username: `player_${id.slice(-6)}`,
    xp,
    level: mee6Level(xp),
    message_count: Math.floor(xp / 20),
    detailed_xp: [0, 100, xp],
    avatar: 'a_0123456789abcdef',
  };
}

/** Pages of `perPage` players as MEE6's leaderboard answers them. */
export function mee6Pages(
  players: Mee6Player[],
  perPage: number,
  extra: Record<string, unknown> = {},
): Record<string, unknown>[] {
  const pages: Record<string, unknown>[] = [];
  for (let page = 0; page * perPage < players.length; page++) {
    pages.push({
      admin: false,
      banner_url: null,
      guild: { id: TEST_GUILD_ID, name: 'TTFD', icon: null, premium: false },
      page,
      players: players.slice(page * perPage, (page + 1) * perPage),
      role_rewards: [],
      xp_per_message: [15, 25],
      xp_rate: 1,
      ...extra,
    });
  }
  return pages;
}

/** Discord-looking user ids from a seed: 18 digits, distinct. */
export function snowflake(seed: number): string {
  return String(400_000_000_000_000_000n + BigInt(seed));
}
