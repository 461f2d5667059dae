import { Pool } from 'pg';

/** `count` empty accounts in one statement; returns their ids in order. */
export async function seedAccounts(pool: Pool, count: number): Promise<string[]> {
  const result = await pool.query<{ id: string }>(
    `INSERT INTO accounts (xp) SELECT 0 FROM generate_series(1, $1) RETURNING id`,
    [count],
  );
  return result.rows.map((row) => String(row.id)).sort((a, b) => Number(a) - Number(b));
}
