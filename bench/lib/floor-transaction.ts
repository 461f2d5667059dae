import { Pool } from 'pg';

/**
 * The raw Postgres cost of an award, the floor every award figure is compared with: the ledger
 * insert, the total update and one outbox insert in one transaction, with `pg` directly and
 * nothing else (no lock read, no idempotency probe, no achievements, no ORM). Five round trips.
 * Its outbox row is written `completed`: it stands for a write, not for work, and a pending one
 * would be drained by the relay of a later section.
 */
export async function floorTransaction(
  pool: Pool,
  accountId: string,
  xp: number,
  key: string,
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const entry = await client.query<{ id: string }>(
      `INSERT INTO ledger_entries (account_id, xp_delta, reason, source, idempotency_key)
       VALUES ($1, $2, 'daily_spin', 'telegram', $3) RETURNING id`,
      [accountId, xp, key],
    );
    const totals = await client.query<{ xp: string }>(
      `UPDATE accounts SET xp = xp + $2, updated_at = now() WHERE id = $1 RETURNING xp`,
      [accountId, xp],
    );
    await client.query(
      `INSERT INTO sync_events (type, source, account_id, ledger_entry_id, payload, status,
                                completed_at)
       VALUES ('xp.changed', 'telegram', $1, $2, $3, 'completed', now())`,
      [accountId, entry.rows[0].id, { delta: xp, xp: Number(totals.rows[0].xp) }],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
