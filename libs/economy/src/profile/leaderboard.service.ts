import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { decodeCursor, encodeCursor, pageSize } from '../cursor';
import { ALL_TIME_PLACE } from './places.sql';

export interface LeaderboardEntry {
  place: number;
  accountId: string;
  xp: number;
  rankId: number;
}

export interface LeaderboardPage {
  entries: LeaderboardEntry[];
  endCursor: string | null;
  hasNextPage: boolean;
}

/** All-time top by XP (`/top`), keyset-paged on the (xp DESC, id) index of live accounts. */
@Injectable()
export class LeaderboardService {
  constructor(private readonly dataSource: DataSource) {}

  async top(first = 10, after?: string | null): Promise<LeaderboardPage> {
    const size = pageSize(first);
    const cursor = after ? decodeCursor(after, ['x', 'a', 'p'] as const) : null;
    const rows: { id: string; xp: string; rank_id: number }[] = await this.dataSource.query(
      `SELECT id, xp, rank_id FROM accounts
        WHERE merged_into IS NULL
          AND ($1::bigint IS NULL OR xp < $1::bigint OR (xp = $1::bigint AND id > $2::bigint))
        ORDER BY xp DESC, id ASC
        LIMIT $3`,
      [cursor?.x ?? null, cursor?.a ?? null, size + 1],
    );
    const startPlace = cursor ? Number(cursor.p) + 1 : 1;
    const entries = rows.slice(0, size).map((row, index) => ({
      place: startPlace + index,
      accountId: String(row.id),
      xp: Number(row.xp),
      rankId: Number(row.rank_id),
    }));
    const last = entries[entries.length - 1];
    return {
      entries,
      endCursor: last
        ? encodeCursor({ x: String(last.xp), a: last.accountId, p: last.place })
        : null,
      hasNextPage: rows.length > size,
    };
  }

  /**
   * The account's all-time place (ALL_TIME_PLACE: two ranges of the index the pages walk), with
   * the cursor of the page that starts at its row. Null for an unknown or merged account.
   */
  async standingOf(
    accountId: string,
  ): Promise<{ place: number; xp: number; startCursor: string | null } | null> {
    const rows: { place: string; xp: string; id: string }[] = await this.dataSource.query(
      `SELECT m.id, m.xp,
              ${ALL_TIME_PLACE} AS place
         FROM accounts m WHERE m.id = $1::bigint AND m.merged_into IS NULL`,
      [accountId],
    );
    const row = rows[0];
    if (!row) return null;
    const place = Number(row.place);
    return {
      place,
      xp: Number(row.xp),
      startCursor:
        place === 1
          ? null
          : encodeCursor({ x: String(row.xp), a: String(BigInt(row.id) - 1n), p: place - 1 }),
    };
  }
}
