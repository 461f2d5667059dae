import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@ttfd/clock';
import { RANK_ACHIEVEMENTS } from '@ttfd/economy';
import { Tx, inTransaction } from '@ttfd/database';
import { MAX_AMOUNT, PlannedPlayer } from './import-plan';

/**
 * Players per transaction. A batch holds whole players (every row of a stage-1 player lands
 * together or not at all) and costs a handful of statements whatever its size: 2,000 keeps a
 * transaction's locks and arrays small while 100,000 players take 50 of them.
 */
export const IMPORT_BATCH_PLAYERS = 2_000;

export interface WriteTotals {
  created: number;
  matched: number;
  entriesWritten: number;
  entriesAlreadyPresent: number;
  xpWritten: number;
  coinsWritten: number;
  achievementsUnlocked: number;
}

export function emptyTotals(): WriteTotals {
  return {
    created: 0,
    matched: 0,
    entriesWritten: 0,
    entriesAlreadyPresent: 0,
    xpWritten: 0,
    coinsWritten: 0,
    achievementsUnlocked: 0,
  };
}

/** `[rank, code]` pairs in SQL arrays: the rank achievements a batch's new ranks unlock. */
const RANK_CODES = {
  ranks: RANK_ACHIEVEMENTS.map((a) => a.rankId),
  codes: RANK_ACHIEVEMENTS.map((a) => a.code),
};

/**
 * The bulk path of an import: per batch, one transaction that finds or creates the identities,
 * inserts every ledger row with `ON CONFLICT (idempotency_key) DO NOTHING`, and moves the totals
 * and ranks of the accounts by what was actually inserted, in one statement. No award-limit
 * check (a MEE6 level-30 player is ~675,000 XP): the bound is the SafeInt range, checked by the
 * parsers, and the totals stay equal to the ledger sums (the reconcile audit's rule). No season
 * (season_id NULL, no season_scores), and no outbox rows: an import tells nobody anything.
 */
@Injectable()
export class ImportWriter {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async write(
    players: PlannedPlayer[],
    entityId: string,
    onBatch: (done: number, totals: WriteTotals) => Promise<void> | void,
  ): Promise<WriteTotals> {
    const totals = emptyTotals();
    for (let start = 0; start < players.length; start += IMPORT_BATCH_PLAYERS) {
      const batch = players.slice(start, start + IMPORT_BATCH_PLAYERS);
      await inTransaction(this.dataSource, undefined, (tx) =>
        this.writeBatch(tx, batch, entityId, totals),
      );
      await onBatch(start + batch.length, totals);
    }
    return totals;
  }

  private async writeBatch(
    tx: Tx,
    players: PlannedPlayer[],
    entityId: string,
    totals: WriteTotals,
  ): Promise<void> {
    const q = tx.manager;
    const now = this.clock.now();
    const accountOf = await this.resolveAccounts(tx, players, totals);

    const planned = players.flatMap((player) =>
      player.entries.map((entry) => ({ account: accountOf.get(identityKey(player))!, ...entry })),
    );
    // Rows a previous run wrote are skipped before any lock is taken: a re-run reads, it does
    // not write (the ON CONFLICT below still settles a race with a concurrent run).
    const present: { key: string }[] = await q.query(
      `SELECT idempotency_key AS key FROM ledger_entries WHERE idempotency_key = ANY($1::text[])`,
      [planned.map((row) => row.key)],
    );
    const done = new Set(present.map((row) => row.key));
    const rows = planned.filter((row) => !done.has(row.key));
    totals.entriesAlreadyPresent += done.size;
    if (rows.length > 0) {
      // Lock in id order, as awards and merges do, before the totals move.
      await q.query(`SELECT id FROM accounts WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE`, [
        [...new Set(rows.map((row) => row.account))],
      ]);
      const [moved]: [
        { id: string; xp: string; coins: string; inserted: string; dxp: string; dcoins: string }[],
        number,
      ] = await q.query(
        `WITH inserted AS (
             INSERT INTO ledger_entries
               (account_id, xp_delta, coins_delta, reason, source, entity_id, idempotency_key,
                created_at, season_id, metadata)
             SELECT t.account_id, t.xp, t.coins, 'import', 'system', $5, t.key, $6, NULL, t.metadata
               FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $7::jsonb[])
                    AS t(account_id, xp, coins, key, metadata)
             ON CONFLICT (idempotency_key) DO NOTHING
             RETURNING account_id, xp_delta, coins_delta
           ), sums AS (
             SELECT account_id, sum(xp_delta) AS xp, sum(coins_delta) AS coins, count(*) AS n
               FROM inserted GROUP BY account_id
           )
           UPDATE accounts a
              SET xp = a.xp + s.xp, coins = a.coins + s.coins, updated_at = $6,
                  rank_id = rank_for_xp((a.xp + s.xp)::bigint)
             FROM sums s
            WHERE a.id = s.account_id
           RETURNING a.id, a.xp, a.coins, a.rank_id, s.n AS inserted, s.xp AS dxp, s.coins AS dcoins`,
        [
          rows.map((row) => row.account),
          rows.map((row) => row.xp),
          rows.map((row) => row.coins),
          rows.map((row) => row.key),
          entityId,
          now,
          rows.map((row) => (row.metadata ? JSON.stringify(row.metadata) : null)),
        ],
      );
      let inserted = 0;
      for (const account of moved) {
        if (Number(account.xp) > MAX_AMOUNT || Number(account.coins) > MAX_AMOUNT) {
          throw new Error(
            `Account ${account.id} would pass ${MAX_AMOUNT} (the largest total the ledger keeps): import refused at this batch`,
          );
        }
        inserted += Number(account.inserted);
        totals.xpWritten += Number(account.dxp);
        totals.coinsWritten += Number(account.dcoins);
      }
      totals.entriesWritten += inserted;
      totals.entriesAlreadyPresent += rows.length - inserted;
      if (moved.length > 0) {
        const unlocked: unknown[] = await q.query(
          `INSERT INTO account_achievements (account_id, achievement_code, unlocked_at)
           SELECT a.id, c.code, $4
             FROM accounts a
             JOIN unnest($2::smallint[], $3::text[]) AS c(rank_id, code) ON a.rank_id >= c.rank_id
            WHERE a.id = ANY($1::bigint[])
           ON CONFLICT DO NOTHING
           RETURNING account_id`,
          [moved.map((m) => m.id), RANK_CODES.ranks, RANK_CODES.codes, now],
        );
        totals.achievementsUnlocked += unlocked.length;
      }
    }
    const held = players.flatMap((player) =>
      player.achievements.map((code) => ({ account: accountOf.get(identityKey(player))!, code })),
    );
    if (held.length > 0) {
      const unlocked: unknown[] = await q.query(
        `INSERT INTO account_achievements (account_id, achievement_code, unlocked_at)
         SELECT t.account_id, t.code, $3 FROM unnest($1::bigint[], $2::text[]) AS t(account_id, code)
         ON CONFLICT DO NOTHING
         RETURNING account_id`,
        [held.map((h) => h.account), held.map((h) => h.code), now],
      );
      totals.achievementsUnlocked += unlocked.length;
    }
  }

  /**
   * Finds the account of every player's identity, creating the missing ones in bulk. A profile
   * already linked receives the rows. Race-safe against a player's first message at the same
   * moment: the unique (platform, external_id) decides, and the accounts we made for identities
   * someone else created are dropped in the same transaction.
   */
  private async resolveAccounts(
    tx: Tx,
    players: PlannedPlayer[],
    totals: WriteTotals,
  ): Promise<Map<string, string>> {
    const q = tx.manager;
    const accountOf = await this.existing(tx, players);
    totals.matched += accountOf.size;
    const missing = players.filter((player) => !accountOf.has(identityKey(player)));
    if (missing.length === 0) return accountOf;
    const now = this.clock.now();
    const made: { id: string }[] = await q.query(
      `INSERT INTO accounts (created_at, updated_at)
       SELECT $1, $1 FROM generate_series(1, $2) RETURNING id`,
      [now, missing.length],
    );
    const ids = made.map((row) => String(row.id));
    const inserted: { account_id: string; platform: string; external_id: string }[] = await q.query(
      `INSERT INTO identities (account_id, platform, external_id, display_name, created_at, updated_at)
       SELECT t.account_id, t.platform, t.external_id, t.display_name, $5, $5
         FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[])
              AS t(account_id, platform, external_id, display_name)
       ON CONFLICT (platform, external_id) DO NOTHING
       RETURNING account_id, platform, external_id`,
      [
        ids,
        missing.map((p) => p.platform),
        missing.map((p) => p.externalId),
        missing.map((p) => p.displayName),
        now,
      ],
    );
    for (const row of inserted)
      accountOf.set(`${row.platform}:${row.external_id}`, String(row.account_id));
    totals.created += inserted.length;
    if (inserted.length < missing.length) {
      const used = new Set(inserted.map((row) => String(row.account_id)));
      await q.query(`DELETE FROM accounts WHERE id = ANY($1::bigint[])`, [
        ids.filter((id) => !used.has(id)),
      ]);
      const raced = await this.existing(
        tx,
        missing.filter((player) => !accountOf.has(identityKey(player))),
      );
      for (const [key, account] of raced) accountOf.set(key, account);
      totals.matched += raced.size;
    }
    return accountOf;
  }

  private async existing(tx: Tx, players: PlannedPlayer[]): Promise<Map<string, string>> {
    const rows: { platform: string; external_id: string; account_id: string }[] =
      await tx.manager.query(
        `SELECT i.platform, i.external_id, i.account_id
           FROM unnest($1::text[], $2::text[]) AS t(platform, external_id)
           JOIN identities i ON i.platform = t.platform AND i.external_id = t.external_id`,
        [players.map((p) => p.platform), players.map((p) => p.externalId)],
      );
    return new Map(
      rows.map((row) => [`${row.platform}:${row.external_id}`, String(row.account_id)]),
    );
  }
}

export function identityKey(player: { platform: string; externalId: string }): string {
  return `${player.platform}:${player.externalId}`;
}
