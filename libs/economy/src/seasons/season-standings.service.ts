import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccountsService } from '../accounts/accounts.service';
import { decodeCursor, encodeCursor, pageSize } from '../cursor';
import { EconomyError } from '../economy.error';
import { SEASON_PLACE } from '../profile/places.sql';
import { SeasonView } from './season-view';
import { SeasonsService } from './seasons.service';

export interface StandingEntry {
  place: number;
  accountId: string;
  /** Positive XP earned inside the season's window. */
  xp: number;
  /** When the account's last XP of the window arrived: ties go to whoever got there first. */
  reachedAt: Date;
}

export interface StandingsPage {
  season: SeasonView;
  entries: StandingEntry[];
  endCursor: string | null;
  hasNextPage: boolean;
}

interface StandingRow {
  account_id: string;
  xp: string;
  reached_at: Date;
  reached_text: string;
  place: string;
}

/**
 * Who leads a season: the open season's standings are the `season_scores` read model (kept by
 * each award under the season lock), a closed season's are `season_results`, frozen by its close.
 */
@Injectable()
export class SeasonStandings {
  constructor(
    private readonly dataSource: DataSource,
    private readonly seasons: SeasonsService,
    private readonly accounts: AccountsService,
  ) {}

  /** A page of a season's standings, best first, with a keyset cursor. */
  async standings(
    seasonId: number | 'current',
    first = 10,
    after?: string | null,
  ): Promise<StandingsPage> {
    const season = await this.resolveSeason(seasonId);
    const size = pageSize(first);
    const rows = await this.standingRows(season, size + 1, after ?? null);
    const page = rows.slice(0, size);
    const last = page[page.length - 1];
    return {
      season,
      entries: page.map(toStanding),
      endCursor: last
        ? encodeCursor({
            x: String(last.xp),
            r: last.reached_text,
            a: String(last.account_id),
            p: last.place,
          })
        : null,
      hasNextPage: rows.length > size,
    };
  }

  /**
   * The account's place in a season (default: the open one); null when it earned no XP there.
   * The open season's place is SEASON_PLACE; a closed one reads its frozen place.
   */
  async placeOf(
    accountId: string,
    seasonId: number | 'current' = 'current',
  ): Promise<{ seasonId: number; place: number; xp: number } | null> {
    const season = await this.resolveSeason(seasonId);
    const survivor = await this.accounts.resolveSurvivor(accountId);
    const rows: { place: string; xp: string }[] =
      season.status === 'closed'
        ? await this.dataSource.query(
            `SELECT place, xp FROM season_results WHERE season_id = $1 AND account_id = $2`,
            [season.id, survivor],
          )
        : await this.dataSource.query(
            `SELECT ${SEASON_PLACE} AS place, m.xp
               FROM season_scores m WHERE m.season_id = $1 AND m.account_id = $2`,
            [season.id, survivor],
          );
    if (!rows[0]) return null;
    return { seasonId: season.id, place: Number(rows[0].place), xp: Number(rows[0].xp) };
  }

  /**
   * Where the account stands in a season, with the cursor of the page that starts at its row
   * (`standings(season, n, startCursor)` lists it first): "show me" in one request. Null when it
   * earned no XP there.
   */
  async standingOf(
    accountId: string,
    seasonId: number,
  ): Promise<{ place: number; xp: number; startCursor: string | null } | null> {
    const found = await this.placeOf(accountId, seasonId);
    if (!found) return null;
    const survivor = await this.accounts.resolveSurvivor(accountId);
    const rows: { reached_text: string }[] = await this.dataSource.query(
      `SELECT reached_at::text AS reached_text FROM season_scores
        WHERE season_id = $1 AND account_id = $2
       UNION ALL
       SELECT reached_at::text FROM season_results WHERE season_id = $1 AND account_id = $2
       LIMIT 1`,
      [seasonId, survivor],
    );
    // The key just before the account's own: its xp and time, an id one below, the place above.
    const startCursor =
      found.place === 1 || !rows[0]
        ? null
        : encodeCursor({
            x: String(found.xp),
            r: rows[0].reached_text,
            a: String(BigInt(survivor) - 1n),
            p: found.place - 1,
          });
    return { place: found.place, xp: found.xp, startCursor };
  }

  private async resolveSeason(seasonId: number | 'current'): Promise<SeasonView> {
    if (seasonId !== 'current') return this.seasons.get(seasonId);
    const open = await this.seasons.current();
    if (!open) throw new EconomyError('SEASON_NOT_FOUND', 'No season is open');
    return open;
  }

  /**
   * The open season from its live scores (keyset over `season_scores_rank_idx`; the cursor
   * carries the last place, so a page never counts the rows before it); a closed season from
   * the standings frozen at its close.
   */
  private async standingRows(
    season: SeasonView,
    limit: number,
    after: string | null,
  ): Promise<StandingRow[]> {
    const cursor = after ? decodeCursor(after, ['x', 'r', 'a', 'p'] as const, { r: 'time' }) : null;
    const lastPlace = cursor ? Number(cursor.p) : 0;
    if (!Number.isSafeInteger(lastPlace) || lastPlace < 0) {
      throw new EconomyError('INVALID_CURSOR', 'The cursor is not one this service issued');
    }
    const rows: Omit<StandingRow, 'place'>[] =
      season.status === 'closed'
        ? await this.dataSource.query(
            `SELECT account_id, xp, reached_at, reached_at::text AS reached_text
               FROM season_results WHERE season_id = $1 AND place > $2
              ORDER BY place LIMIT $3`,
            [season.id, lastPlace, limit],
          )
        : await this.dataSource.query(
            `SELECT account_id, xp, reached_at, reached_at::text AS reached_text
               FROM season_scores
              WHERE season_id = $1
                AND ($2::bigint IS NULL
                     OR xp < $2::bigint
                     OR (xp = $2::bigint AND (reached_at > $3::timestamptz
                         OR (reached_at = $3::timestamptz AND account_id > $4::bigint))))
              ORDER BY xp DESC, reached_at ASC, account_id ASC
              LIMIT $5`,
            [season.id, cursor?.x ?? null, cursor?.r ?? null, cursor?.a ?? null, limit],
          );
    return rows.map((row, index) => ({ ...row, place: String(lastPlace + index + 1) }));
  }
}

function toStanding(row: StandingRow): StandingEntry {
  return {
    place: Number(row.place),
    accountId: String(row.account_id),
    xp: Number(row.xp),
    reachedAt: new Date(row.reached_at),
  };
}
