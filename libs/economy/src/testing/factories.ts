import { DataSource } from 'typeorm';

/** A new account straight in the database (optionally with totals and matching ledger rows). */
export async function newAccount(
  dataSource: DataSource,
  totals: { xp?: number; coins?: number } = {},
): Promise<string> {
  const rows: { id: string }[] = await dataSource.query(
    `INSERT INTO accounts DEFAULT VALUES RETURNING id`,
  );
  const id = String(rows[0].id);
  const xp = totals.xp ?? 0;
  const coins = totals.coins ?? 0;
  if (xp !== 0 || coins !== 0) {
    // Keep the invariant totals = ledger sums even for fixtures.
    await dataSource.query(
      `INSERT INTO ledger_entries (account_id, xp_delta, coins_delta, reason, source, idempotency_key)
       VALUES ($1, $2, $3, 'admin_adjustment', 'admin', $4)`,
      [id, xp, coins, `fixture:${id}`],
    );
    await dataSource.query(
      `UPDATE accounts SET xp = $2, coins = $3,
         rank_id = rank_for_xp($2::bigint) WHERE id = $1`,
      [id, xp, coins],
    );
  }
  return id;
}

/** Ledger sums against stored totals for every account (the core invariant). */
export async function ledgerDrift(
  dataSource: DataSource,
): Promise<{ id: string; xp: number; coins: number; ledgerXp: number; ledgerCoins: number }[]> {
  const rows: { id: string; xp: string; coins: string; lxp: string; lcoins: string }[] =
    await dataSource.query(
      `SELECT a.id, a.xp, a.coins, coalesce(sum(l.xp_delta), 0) AS lxp,
              coalesce(sum(l.coins_delta), 0) AS lcoins
         FROM accounts a LEFT JOIN ledger_entries l ON l.account_id = a.id
        GROUP BY a.id
       HAVING a.xp <> coalesce(sum(l.xp_delta), 0) OR a.coins <> coalesce(sum(l.coins_delta), 0)`,
    );
  return rows.map((row) => ({
    id: String(row.id),
    xp: Number(row.xp),
    coins: Number(row.coins),
    ledgerXp: Number(row.lxp),
    ledgerCoins: Number(row.lcoins),
  }));
}
