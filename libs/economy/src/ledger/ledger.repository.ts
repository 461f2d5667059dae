import { Injectable, OnModuleInit } from '@nestjs/common';
import { Clock } from '@ttfd/clock';
import { mutateReturning, Tx } from '@ttfd/database';
import {
  AccountRecompute,
  AccountRecomputeRegistry,
  AccountTotals,
  ChangeSource,
} from '@ttfd/sync';
import { LedgerReason } from './ledger-reason';

/** A row to write; amounts are never edited once written. */
export interface NewLedgerEntry {
  accountId: string;
  xpDelta: number;
  coinsDelta: number;
  reason: LedgerReason;
  source: ChangeSource;
  entityId: string | null;
  idempotencyKey: string;
  createdAt: Date;
  seasonId: number | null;
  requestFingerprint: string | null;
  metadata: Record<string, unknown> | null;
}

/** The row a used idempotency key points to. */
export interface KeyedEntry {
  id: string;
  accountId: string;
  requestFingerprint: string | null;
}

interface KeyedEntryRow {
  id: string;
  account_id: string;
  request_fingerprint: string | null;
}

interface TotalsRow {
  xp: string;
  coins: string;
  rank_id: number;
}

function totalsOf(row: TotalsRow): AccountTotals {
  return { xp: String(row.xp), coins: String(row.coins), rankId: Number(row.rank_id) };
}

/**
 * `ledger_entries`, row by row, and what follows from its sums:
 * - the one recompute of an account's totals and rank from its ledger rows ("totals always
 *   equal ledger sums"): the merge after it moves the absorbed account's rows (@ttfd/linking)
 *   and reconcile's repair of drift (@ttfd/sync, through AccountRecomputeRegistry) both call it;
 * - the writes of the careful award and of a merge, and the reads they need.
 * The one-statement award (`AwardStatement`) keeps its own SQL: it is one statement over
 * several tables, by design. Reads over many rows (standings, reconcile, the dashboard) sum in
 * their own queries.
 */
@Injectable()
export class LedgerRepository implements AccountRecompute, OnModuleInit {
  constructor(
    private readonly registry: AccountRecomputeRegistry,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  /**
   * Inside the caller's transaction. Takes the account's row lock first (a no-op for a caller
   * that already holds it), so `before` is what was stored once no award is in flight: an
   * award committed since a caller's scan is never taken for drift.
   */
  async recompute(
    tx: Tx,
    accountId: string,
  ): Promise<{ before: AccountTotals; after: AccountTotals }> {
    const [before]: TotalsRow[] = await tx.manager.query(
      `SELECT xp, coins, rank_id FROM accounts WHERE id = $1 FOR UPDATE`,
      [accountId],
    );
    const [after] = await mutateReturning<TotalsRow>(
      tx.manager,
      `UPDATE accounts a
          SET xp = s.xp, coins = s.coins, updated_at = $2,
              rank_id = rank_for_xp(s.xp::bigint)
         FROM (SELECT COALESCE(sum(xp_delta), 0) AS xp, COALESCE(sum(coins_delta), 0) AS coins
                 FROM ledger_entries WHERE account_id = $1) s
        WHERE a.id = $1
        RETURNING a.xp, a.coins, a.rank_id`,
      [accountId, this.clock.now()],
    );
    return { before: totalsOf(before), after: totalsOf(after) };
  }

  /** Writes the row unless its key was used: the new id, or null on the key's conflict. */
  async insert(tx: Tx, entry: NewLedgerEntry): Promise<string | null> {
    const rows: { id: string }[] = await tx.manager.query(
      `INSERT INTO ledger_entries
         (account_id, xp_delta, coins_delta, reason, source, entity_id, idempotency_key,
          created_at, season_id, request_fingerprint, metadata)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING id`,
      [
        entry.accountId,
        entry.xpDelta,
        entry.coinsDelta,
        entry.reason,
        entry.source,
        entry.entityId,
        entry.idempotencyKey,
        entry.createdAt,
        entry.seasonId,
        entry.requestFingerprint,
        entry.metadata === null ? null : JSON.stringify(entry.metadata),
      ],
    );
    return rows[0] ? String(rows[0].id) : null;
  }

  async byKey(tx: Tx, key: string): Promise<KeyedEntry | undefined> {
    const rows: KeyedEntryRow[] = await tx.manager.query(
      `SELECT id, account_id, request_fingerprint FROM ledger_entries WHERE idempotency_key = $1`,
      [key],
    );
    const row = rows[0];
    return row
      ? {
          id: String(row.id),
          accountId: String(row.account_id),
          requestFingerprint: row.request_fingerprint,
        }
      : undefined;
  }

  /**
   * A counted goal (COUNTED_ACHIEVEMENTS) reached: not unlocked yet, and at least `count` rows
   * of `reason`. One query, every message: counting stops at the goal.
   */
  async countedGoalReached(
    tx: Tx,
    accountId: string,
    reason: LedgerReason,
    goal: { code: string; count: number },
  ): Promise<boolean> {
    const rows: { earned: boolean }[] = await tx.manager.query(
      `SELECT NOT EXISTS (SELECT 1 FROM account_achievements
                           WHERE account_id = $1 AND achievement_code = $4)
          AND (SELECT count(*) FROM (SELECT 1 FROM ledger_entries
                                      WHERE account_id = $1 AND reason = $2 LIMIT $3) t) >= $3
              AS earned`,
      [accountId, reason, goal.count, goal.code],
    );
    return rows[0].earned;
  }

  /** A merge: every row of `fromAccountId` now belongs to `toAccountId` (amounts untouched). */
  async moveEntries(tx: Tx, fromAccountId: string, toAccountId: string): Promise<void> {
    await tx.manager.query(`UPDATE ledger_entries SET account_id = $2 WHERE account_id = $1`, [
      fromAccountId,
      toAccountId,
    ]);
  }
}
