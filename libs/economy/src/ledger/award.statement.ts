import { Injectable } from '@nestjs/common';
import type { PoolClient, QueryResult } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import { Tx, typeormPool } from '@ttfd/database';
import { OutboxWriter, WrittenSyncEvent } from '@ttfd/sync';
import { RANK_ACHIEVEMENTS } from '../ranks/ranks';
import { SEASON_SCORE_ADD } from '../seasons/season-membership';
import { GAME_WIN_REASONS, LedgerReason } from './ledger-reason';
import { AwardInput, AwardResult } from './ledger.types';

/** Achievements that count ledger rows of one reason (the row being written included). */
export const COUNTED_ACHIEVEMENTS: Partial<Record<LedgerReason, { code: string; count: number }>> =
  {
    discord_message: { code: 'messages_100', count: 100 },
    discord_voice: { code: 'voice_60', count: 60 },
  };

/** The largest total the ledger keeps: an exact JavaScript number (and GraphQL SafeInt). */
export const MAX_TOTAL = Number.MAX_SAFE_INTEGER;

/**
 * The whole award as one SQL statement (docs/economy-and-games.md, "Awards"): join the open
 * season, lock the account, insert the entry, move the totals and the rank, unlock only the
 * achievements this entry crosses, write the outbox rows of real effects (due at the
 * database's `now()`, in their column's default lane `roles`), add to the season
 * score. Every CTE shares the statement's snapshot, so:
 * - the account's totals come from the `FOR UPDATE` lock (which reads the newest version), never
 *   from the snapshot; the counted goal is asked of `ledger_count_reaches`, a VOLATILE function
 *   with a fresh snapshot taken after the lock, and the row being inserted counts as one;
 * - a refusal (coins or XP below zero, a total above MAX_TOTAL), a merged or unknown account
 *   and a used key make `ok` or `entry` empty, and everything written hangs off them: the
 *   statement then writes nothing and raises nothing (a CHECK violation would abort a caller's
 *   transaction), and the caller takes the multi-statement path to answer precisely.
 * The season is joined before the account is locked (the lock order): the account's CTE waits
 * on an initplan over `season`, evaluated before its scan.
 */
const AWARD_SQL = `
WITH season AS MATERIALIZED (
  SELECT join_open_season() AS id
),
acct AS MATERIALIZED (
  SELECT id, xp, coins, rank_id, merged_into FROM accounts
   WHERE id = $1 AND EXISTS (SELECT FROM season)
   FOR UPDATE
),
ok AS MATERIALIZED (
  SELECT acct.id, acct.rank_id, acct.xp + $2 AS new_xp, rank_for_xp(acct.xp + $2) AS new_rank,
         (SELECT id FROM season) AS season_id
    FROM acct
   WHERE acct.merged_into IS NULL
     AND acct.xp + $2 BETWEEN 0 AND $16 AND acct.coins + $3 BETWEEN 0 AND $16
),
entry AS (
  INSERT INTO ledger_entries
    (account_id, xp_delta, coins_delta, reason, source, entity_id, idempotency_key, created_at,
     season_id, request_fingerprint, metadata)
  SELECT ok.id, $2, $3, $4, $5, $6, $7, $8, ok.season_id, $9, $10::jsonb FROM ok
  ON CONFLICT (idempotency_key) DO NOTHING
  RETURNING id
),
totals AS (
  UPDATE accounts a
     SET xp = a.xp + $2, coins = a.coins + $3, rank_id = ok.new_rank, updated_at = $8
    FROM ok, entry
   WHERE a.id = ok.id
  RETURNING a.xp, a.coins, a.rank_id
),
scored AS (
  INSERT INTO season_scores (season_id, account_id, xp, reached_at)
  SELECT ok.season_id, ok.id, $2, $8 FROM ok, entry
   WHERE ok.season_id IS NOT NULL AND $2 > 0
  ${SEASON_SCORE_ADD}
),
earned AS (
  SELECT code FROM ok, entry, unnest($11::smallint[], $12::text[]) AS r(rank_id, code)
   WHERE ok.rank_id < r.rank_id AND ok.new_rank >= r.rank_id
  UNION ALL
  SELECT 'first_win' FROM ok, entry WHERE $13::boolean
  UNION ALL
  SELECT $14::text FROM ok, entry
   WHERE $14::text IS NOT NULL
     AND NOT EXISTS (SELECT FROM account_achievements
                      WHERE account_id = ok.id AND achievement_code = $14::text)
     AND ledger_count_reaches(ok.id, $4, $15::integer - 1, $7)
),
unlocked AS (
  INSERT INTO account_achievements (account_id, achievement_code, unlocked_at)
  SELECT ok.id, earned.code, $8 FROM ok, earned
  ON CONFLICT (account_id, achievement_code) DO NOTHING
  RETURNING achievement_code
),
events AS (
  INSERT INTO sync_events (type, source, account_id, ledger_entry_id, payload, status,
                           completed_at, max_attempts, next_attempt_at, created_at, updated_at,
                           correlation_id)
  SELECT e.type, $5, ok.id, e.ledger_entry_id, e.payload, e.status,
         CASE WHEN e.status = 'pending' THEN NULL ELSE $8::timestamptz END,
         $19, now(), $8, $8, $20
    FROM ok, (
      SELECT 'rank.changed' AS type, entry.id AS ledger_entry_id, $17::text AS status,
             jsonb_build_object('from', ok.rank_id, 'to', ok.new_rank, 'xp', ok.new_xp) AS payload
        FROM ok, entry WHERE ok.new_rank <> ok.rank_id
      UNION ALL
      SELECT 'achievement.unlocked', NULL::bigint, $18::text,
             jsonb_build_object('code', unlocked.achievement_code)
        FROM unlocked
    ) e
  RETURNING id, type, status
)
SELECT (SELECT id FROM entry) AS entry_id,
       ok.id AS account_id, ok.rank_id AS previous_rank_id,
       totals.xp, totals.coins, totals.rank_id,
       ARRAY(SELECT achievement_code FROM unlocked) AS unlocked,
       (SELECT coalesce(json_agg(json_build_object('id', id::text, 'type', type,
                                                   'status', status)), '[]'::json)
          FROM events) AS events
  FROM (SELECT) one LEFT JOIN ok ON true LEFT JOIN totals ON true`;

interface AwardRow {
  entry_id: string | null;
  account_id: string | null;
  previous_rank_id: number | null;
  xp: string | null;
  coins: string | null;
  rank_id: number | null;
  unlocked: string[];
  events: WrittenSyncEvent[];
}

/**
 * Runs the award's hot path as one named prepared statement, in autocommit (one round trip) or
 * inside the caller's transaction. Answers null when the award needs the careful path: the key
 * was used, the account was merged or is unknown, or the change is refused; nothing was
 * written then.
 */
@Injectable()
export class AwardStatement {
  private readonly rankAchievementRanks = RANK_ACHIEVEMENTS.map((a) => a.rankId);
  private readonly rankAchievementCodes = RANK_ACHIEVEMENTS.map((a) => a.code);

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
  ) {}

  async run(
    input: AwardInput,
    xpDelta: number,
    coinsDelta: number,
    at: Date,
    tx?: Tx,
  ): Promise<AwardResult | null> {
    const counted = COUNTED_ACHIEVEMENTS[input.reason];
    const { maxAttempts, correlationId } = this.outbox.rowDefaults();
    const values = [
      input.accountId,
      xpDelta,
      coinsDelta,
      input.reason,
      input.source,
      input.entityId ?? null,
      input.idempotencyKey,
      at,
      input.requestFingerprint ?? null,
      input.metadata === undefined ? null : JSON.stringify(input.metadata),
      this.rankAchievementRanks,
      this.rankAchievementCodes,
      GAME_WIN_REASONS.includes(input.reason) && xpDelta > 0,
      counted?.code ?? null,
      counted?.count ?? null,
      MAX_TOTAL,
      this.outbox.statusFor('rank.changed'),
      this.outbox.statusFor('achievement.unlocked'),
      maxAttempts,
      correlationId,
    ];
    const client = tx ? await this.clientOf(tx) : typeormPool(this.dataSource);
    const result: QueryResult<AwardRow> = await client.query<AwardRow>({
      name: 'ledger.award',
      text: AWARD_SQL,
      values,
    });
    const row = result.rows[0];
    if (row.entry_id === null || row.account_id === null || row.xp === null) return null;
    this.outbox.written(row.events, tx);
    const rankId = Number(row.rank_id);
    return {
      entryId: String(row.entry_id),
      duplicate: false,
      accountId: String(row.account_id),
      xp: Number(row.xp),
      coins: Number(row.coins),
      rankId,
      previousRankId: Number(row.previous_rank_id),
      unlocked: this.inCandidateOrder(row.unlocked, counted?.code),
    };
  }

  /** Rank achievements first (lowest rank first), then first_win, then a counted goal. */
  private inCandidateOrder(codes: string[], countedCode: string | undefined): string[] {
    const order = [
      ...this.rankAchievementCodes,
      'first_win',
      ...(countedCode ? [countedCode] : []),
    ];
    return order.filter((code) => codes.includes(code));
  }

  /** The connection of the caller's transaction (already connected inside it). */
  private async clientOf(tx: Tx): Promise<PoolClient> {
    const runner = tx.manager.queryRunner as PostgresQueryRunner | undefined;
    if (!runner) throw new Error('A transaction without a query runner cannot carry an award');
    return (await runner.connect()) as PoolClient;
  }
}
