import { Pool } from 'pg';

/** Discord role ids for the 20 ranks and the achievements (17+ digit snowflakes). */
export function rankRoleId(rankId: number): string {
  return String(100_000_000_000_000_000n + BigInt(rankId));
}

export function achievementRoleId(index: number): string {
  return String(200_000_000_000_000_000n + BigInt(index));
}

/** A Discord user id for an account (deterministic, so checks can recompute it). */
export function discordUserId(accountId: string): string {
  return String(300_000_000_000_000_000n + BigInt(accountId));
}

/** Maps every rank and achievement to a role, as an admin would through the API. */
export async function mapRoles(pool: Pool): Promise<void> {
  await pool.query(
    `UPDATE rank_role_mappings SET discord_role_id = (100000000000000000 + rank_id)::text`,
  );
  await pool.query(
    `UPDATE achievement_role_mappings m SET discord_role_id = (200000000000000000 + s.n)::text
       FROM (SELECT code, row_number() OVER (ORDER BY code) AS n FROM achievements) s
      WHERE s.code = m.achievement_code`,
  );
}

/** Gives the accounts Discord identities (user id from discordUserId()). */
export async function linkDiscord(pool: Pool, accountIds: string[]): Promise<void> {
  await pool.query(
    `INSERT INTO identities (account_id, platform, external_id)
     SELECT id, 'discord', (300000000000000000 + id)::text FROM unnest($1::bigint[]) AS id`,
    [accountIds],
  );
}

/** What each Discord member should hold now: rank role + achievement roles, from the tables. */
export async function wantedRolesByUser(pool: Pool): Promise<Map<string, string[]>> {
  const rows = await pool.query<{ external_id: string; roles: string[] }>(
    `SELECT i.external_id,
            array_remove(array_cat(ARRAY[rm.discord_role_id],
              coalesce((SELECT array_agg(am.discord_role_id ORDER BY am.discord_role_id)
                          FROM account_achievements aa
                          JOIN achievement_role_mappings am ON am.achievement_code = aa.achievement_code
                         WHERE aa.account_id = a.id AND am.discord_role_id IS NOT NULL),
                       '{}')), NULL) AS roles
       FROM identities i
       JOIN accounts a ON a.id = i.account_id
       LEFT JOIN rank_role_mappings rm ON rm.rank_id = a.rank_id
      WHERE i.platform = 'discord'`,
  );
  return new Map(rows.rows.map((row) => [row.external_id, [...row.roles].sort()]));
}
