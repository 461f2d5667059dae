import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@ttfd/clock';
import { inTransaction, Tx } from '@ttfd/database';
import { EconomyError } from '../economy.error';

export interface AccountView {
  id: string;
  xp: number;
  coins: number;
  rankId: number;
  mergedInto: string | null;
  createdAt: Date;
}

interface AccountRow {
  id: string;
  xp: string;
  coins: string;
  rank_id: number;
  merged_into: string | null;
  created_at: Date;
}

/** A merge chain longer than this is a data error, not something to follow forever. */
const MAX_MERGE_DEPTH = 16;

/**
 * The merge-chain rule, in SQL, for a `WITH RECURSIVE` statement: `survivor` is one row (none for
 * an unknown account) with the account that holds `$<param>`'s profile now (`id`), its
 * `merged_into` (not null only when the chain is longer than MAX_MERGE_DEPTH: a data error) and
 * `path`, every account on the way in chain order. The one home of the rule: every read of a
 * survivor (AccountsService, the profile's single statement) composes this.
 */
export function survivorCte(param: string): string {
  return `chain AS (
      SELECT id, merged_into, 1 AS depth FROM accounts WHERE id = ${param}
      UNION ALL
      SELECT a.id, a.merged_into, c.depth + 1
        FROM chain c JOIN accounts a ON a.id = c.merged_into
       WHERE c.depth <= ${MAX_MERGE_DEPTH}),
    survivor AS (
      SELECT id, merged_into, (SELECT array_agg(id ORDER BY depth) FROM chain) AS path
        FROM chain ORDER BY depth DESC LIMIT 1)`;
}

/** Throws when a resolved chain did not end (`merged_into` still set after MAX_MERGE_DEPTH). */
export function assertChainEnded(accountId: string, mergedInto: string | null): void {
  if (mergedInto !== null) {
    throw new Error(`Merge chain of account ${accountId} is longer than ${MAX_MERGE_DEPTH}`);
  }
}

/** How often a lock is retried when a merge moved the survivor between resolving and locking. */
const LOCK_ATTEMPTS = 3;

export function isAccountId(value: string): boolean {
  return /^[1-9][0-9]{0,17}$/.test(value);
}

@Injectable()
export class AccountsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** A new, empty account (rank 1). */
  async create(tx?: Tx): Promise<string> {
    return inTransaction(this.dataSource, tx, async ({ manager }) => {
      const now = this.clock.now();
      const rows: { id: string }[] = await manager.query(
        `INSERT INTO accounts (created_at, updated_at) VALUES ($1, $1) RETURNING id`,
        [now],
      );
      return String(rows[0].id);
    });
  }

  async get(accountId: string, tx?: Tx): Promise<AccountView | null> {
    if (!isAccountId(accountId)) return null;
    const manager = tx?.manager ?? this.dataSource.manager;
    const rows: AccountRow[] = await manager.query(
      `SELECT id, xp, coins, rank_id, merged_into, created_at FROM accounts WHERE id = $1`,
      [accountId],
    );
    return rows[0] ? toView(rows[0]) : null;
  }

  /**
   * The account that holds this one's profile now, with its totals, in one read (the merge chain
   * followed by a recursive query, not a round trip per link). Null for an unknown account.
   */
  async getSurvivor(accountId: string, tx?: Tx): Promise<AccountView | null> {
    if (!isAccountId(accountId)) return null;
    const manager = tx?.manager ?? this.dataSource.manager;
    const rows: AccountRow[] = await manager.query(
      `WITH RECURSIVE ${survivorCte('$1')}
       SELECT a.id, a.xp, a.coins, a.rank_id, s.merged_into, a.created_at
         FROM survivor s JOIN accounts a ON a.id = s.id`,
      [accountId],
    );
    if (!rows[0]) return null;
    assertChainEnded(accountId, rows[0].merged_into);
    return toView(rows[0]);
  }

  /**
   * The id of the account that holds this one's profile now: itself, or the account it was
   * merged into (followed to the end). With `lock`, every row on the way is locked FOR UPDATE, so
   * a merge cannot slip in between resolving and writing. Throws ACCOUNT_NOT_FOUND.
   */
  async resolveSurvivor(accountId: string, tx?: Tx, lock = false): Promise<string> {
    if (lock) {
      if (!tx) throw new Error('resolveSurvivor with lock needs a transaction');
      return (await this.lockSurvivor(accountId, tx)).id;
    }
    const survivor = await this.getSurvivor(accountId, tx);
    if (!survivor) throw notFound(accountId);
    return survivor.id;
  }

  /**
   * Moves the totals of a locked account and sets its rank (the ledger's write, in the
   * transaction of its entry): the totals after the move.
   */
  async addTotals(
    tx: Tx,
    accountId: string,
    change: { xpDelta: number; coinsDelta: number; rankId: number; at: Date },
  ): Promise<{ xp: number; coins: number }> {
    // TypeORM answers an UPDATE with [rows, affectedCount].
    const [updated]: [{ xp: string; coins: string }[], number] = await tx.manager.query(
      `UPDATE accounts SET xp = xp + $1, coins = coins + $2, rank_id = $3, updated_at = $4
        WHERE id = $5
        RETURNING xp, coins`,
      [change.xpDelta, change.coinsDelta, change.rankId, change.at, accountId],
    );
    return { xp: Number(updated[0].xp), coins: Number(updated[0].coins) };
  }

  /**
   * A merge absorbed `absorbedId` into `survivorId`: the absorbed account points at the
   * survivor and is emptied (its ledger rows moved in the same transaction).
   */
  async markMerged(tx: Tx, absorbedId: string, survivorId: string, at: Date): Promise<void> {
    await tx.manager.query(
      `UPDATE accounts SET merged_into = $2, xp = 0, coins = 0, rank_id = 1, updated_at = $3
        WHERE id = $1`,
      [absorbedId, survivorId, at],
    );
  }

  /**
   * Resolves the survivor and locks every row on the way FOR UPDATE; returns the survivor's
   * totals as stored under that lock. Writers of totals call this first, inside their `tx`.
   * One statement: the chain resolved (survivorCte), its rows locked in id order (the order a
   * merge locks its two accounts). If a merge absorbed the survivor while this waited for its
   * lock, the locked row says so and the chain is resolved again.
   */
  async lockSurvivor(accountId: string, tx: Tx): Promise<AccountView> {
    if (!isAccountId(accountId)) throw notFound(accountId);
    for (let attempt = 0; attempt < LOCK_ATTEMPTS; attempt++) {
      const locked: (AccountRow & { survivor_id: string; chain_open: string | null })[] =
        await tx.manager.query(
          `WITH RECURSIVE ${survivorCte('$1')}
           SELECT a.id, a.xp, a.coins, a.rank_id, a.merged_into, a.created_at,
                  s.id AS survivor_id, s.merged_into AS chain_open
             FROM survivor s JOIN accounts a ON a.id = ANY(s.path)
            ORDER BY a.id
              FOR UPDATE OF a`,
          [accountId],
        );
      if (!locked[0]) throw notFound(accountId);
      assertChainEnded(accountId, locked[0].chain_open);
      const survivor = locked.find((row) => String(row.id) === String(row.survivor_id));
      if (survivor && survivor.merged_into === null) return toView(survivor);
    }
    throw new Error(`Account ${accountId} kept being merged while it was being locked`);
  }
}

function notFound(accountId: string): EconomyError {
  return new EconomyError('ACCOUNT_NOT_FOUND', `Account ${accountId} does not exist`, {
    accountId,
  });
}

function toView(row: AccountRow): AccountView {
  return {
    id: String(row.id),
    xp: Number(row.xp),
    coins: Number(row.coins),
    rankId: Number(row.rank_id),
    mergedInto: row.merged_into === null ? null : String(row.merged_into),
    createdAt: new Date(row.created_at),
  };
}
