import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '@ttfd/clock';
import { AppConfig } from '@ttfd/config';
import { inTransaction, Tx } from '@ttfd/database';
import { AccountsService } from '../accounts/accounts.service';
import { AchievementsService } from '../achievements/achievements.service';
import { decodeCursor, encodeCursor, pageSize } from '../cursor';
import { EconomyError } from '../economy.error';
import { LedgerService } from '../ledger/ledger.service';
import { seasonName, seasonWindow } from './season-window';

export interface SeasonView {
  id: number;
  name: string;
  startsAt: Date;
  endsAt: Date;
  status: 'open' | 'closed';
  closedAt: Date | null;
}

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

export interface SeasonPrize {
  place: number;
  accountId: string;
  coins: number;
  entryId: string | null;
}

export interface SeasonCloseResult {
  season: SeasonView;
  /** False when the season had been closed already: nothing was paid this time. */
  closedNow: boolean;
  prizes: SeasonPrize[];
}

interface SeasonRow {
  id: number;
  name: string;
  starts_at: Date;
  ends_at: Date;
  status: 'open' | 'closed';
  closed_at: Date | null;
}

interface StandingRow {
  account_id: string;
  xp: string;
  reached_at: Date;
  reached_text: string;
  place: string;
}

const SEASON_COLUMNS = 'id, name, starts_at, ends_at, status, closed_at';

/**
 * Seasons: windows of time whose standings are computed from the ledger (sum of positive XP
 * entries created in [starts_at, ends_at)), opened and closed by the schedule or an admin.
 * Closing pays the podium through `award` with keys `season:{id}:prize:{place}`, in the same
 * transaction that marks the season closed: closed means paid, and paid once.
 */
@Injectable()
export class SeasonsService {
  private readonly cron: string;
  private readonly timeZone: string;
  private readonly prizes: number[];

  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: LedgerService,
    private readonly achievements: AchievementsService,
    private readonly accounts: AccountsService,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.cron = config.env.SEASON_CRON;
    this.timeZone = config.communityTimeZone;
    this.prizes = config.env.SEASON_PRIZES.map(Number);
  }

  /** The open season, if any. */
  async current(tx?: Tx): Promise<SeasonView | null> {
    const rows: SeasonRow[] = await this.manager(tx).query(
      `SELECT ${SEASON_COLUMNS} FROM seasons WHERE status = 'open'`,
    );
    return rows[0] ? toView(rows[0]) : null;
  }

  async get(seasonId: number, tx?: Tx): Promise<SeasonView> {
    if (!Number.isSafeInteger(seasonId) || seasonId < 1 || seasonId > 2_147_483_647) {
      throw seasonNotFound(seasonId);
    }
    const rows: SeasonRow[] = await this.manager(tx).query(
      `SELECT ${SEASON_COLUMNS} FROM seasons WHERE id = $1`,
      [seasonId],
    );
    if (!rows[0]) throw seasonNotFound(seasonId);
    return toView(rows[0]);
  }

  /** Opens a season if none is open (race-safe: one open season is a unique index). */
  async ensureOpen(): Promise<SeasonView> {
    const open = await this.current();
    if (open) return open;
    const now = this.clock.now();
    const last: { ends_at: Date }[] = await this.dataSource.query(
      `SELECT ends_at FROM seasons ORDER BY ends_at DESC LIMIT 1`,
    );
    const { startsAt, endsAt } = seasonWindow(
      this.cron,
      this.timeZone,
      now,
      last[0] ? new Date(last[0].ends_at) : null,
    );
    await this.dataSource.query(
      `INSERT INTO seasons (name, starts_at, ends_at, status, created_at)
       VALUES ($1, $2, $3, 'open', $4)
       ON CONFLICT DO NOTHING`,
      [seasonName(startsAt, endsAt, this.timeZone), startsAt, endsAt, now],
    );
    const opened = await this.current();
    if (!opened) throw new Error('No open season after opening one');
    return opened;
  }

  /** The scheduler's step: close every open season that has ended, then make sure one is open. */
  async rollOver(): Promise<{ closed: SeasonCloseResult[]; open: SeasonView }> {
    const ended: { id: number }[] = await this.dataSource.query(
      `SELECT id FROM seasons WHERE status = 'open' AND ends_at <= $1`,
      [this.clock.now()],
    );
    const closed: SeasonCloseResult[] = [];
    for (const { id } of ended) closed.push(await this.close(Number(id)));
    return { closed, open: await this.ensureOpen() };
  }

  /**
   * Closes a season and pays its podium, once. An admin may close a season early: its window
   * then ends now. Closing a closed season (again, or concurrently) pays nothing and returns
   * what was paid the first time.
   */
  async close(seasonId: number): Promise<SeasonCloseResult> {
    await this.get(seasonId);
    return inTransaction(this.dataSource, undefined, async (tx) => {
      const rows: SeasonRow[] = await tx.manager.query(
        `SELECT ${SEASON_COLUMNS} FROM seasons WHERE id = $1 FOR UPDATE`,
        [seasonId],
      );
      const row = rows[0];
      if (!row) throw seasonNotFound(seasonId);
      if (row.status === 'closed') {
        return {
          season: toView(row),
          closedNow: false,
          prizes: await this.paidPrizes(tx, seasonId),
        };
      }
      const now = this.clock.now();
      const endsAt =
        now.getTime() < new Date(row.ends_at).getTime() &&
        now.getTime() > new Date(row.starts_at).getTime()
          ? now
          : new Date(row.ends_at);
      const [closedRows]: [SeasonRow[], number] = await tx.manager.query(
        `UPDATE seasons SET status = 'closed', closed_at = $2, ends_at = $3 WHERE id = $1
         RETURNING ${SEASON_COLUMNS}`,
        [seasonId, now, endsAt],
      );
      const season = toView(closedRows[0]);
      const podium = await this.standingRows(tx.manager, season, this.prizes.length, null);
      const prizes: SeasonPrize[] = [];
      for (const standing of podium) {
        const place = Number(standing.place);
        const accountId = String(standing.account_id);
        const coins = this.prizes[place - 1] ?? 0;
        let entryId: string | null = null;
        if (coins > 0) {
          const result = await this.ledger.award(
            {
              accountId,
              coins,
              reason: 'season_prize',
              source: 'system',
              idempotencyKey: `season:${seasonId}:prize:${place}`,
              entityId: String(seasonId),
            },
            tx,
          );
          entryId = result.entryId;
        }
        if (place <= 3) await this.achievements.unlock(tx, accountId, 'season_top_3', 'system');
        prizes.push({ place, accountId, coins, entryId });
      }
      return { season, closedNow: true, prizes };
    });
  }

  /** A page of a season's standings, best first, with a keyset cursor. */
  async standings(
    seasonId: number | 'current',
    first = 10,
    after?: string | null,
  ): Promise<StandingsPage> {
    const season = await this.resolveSeason(seasonId);
    const size = pageSize(first);
    const rows = await this.standingRows(this.dataSource.manager, season, size + 1, after ?? null);
    const page = rows.slice(0, size);
    const last = page[page.length - 1];
    return {
      season,
      entries: page.map(toStanding),
      endCursor: last
        ? encodeCursor({ x: String(last.xp), r: last.reached_text, a: String(last.account_id) })
        : null,
      hasNextPage: rows.length > size,
    };
  }

  /** The account's place in a season (default: the open one); null when it earned no XP there. */
  async placeOf(
    accountId: string,
    seasonId: number | 'current' = 'current',
  ): Promise<{ seasonId: number; place: number; xp: number } | null> {
    const season = await this.resolveSeason(seasonId);
    const survivor = await this.accounts.resolveSurvivor(accountId);
    const rows: StandingRow[] = await this.dataSource.query(
      `${RANKED_SQL} SELECT * FROM ranked WHERE account_id = $3`,
      [season.startsAt, season.endsAt, survivor],
    );
    if (!rows[0]) return null;
    return { seasonId: season.id, place: Number(rows[0].place), xp: Number(rows[0].xp) };
  }

  private async resolveSeason(seasonId: number | 'current'): Promise<SeasonView> {
    if (seasonId !== 'current') return this.get(seasonId);
    const open = await this.current();
    if (!open) throw new EconomyError('SEASON_NOT_FOUND', 'No season is open');
    return open;
  }

  private async standingRows(
    manager: EntityManager,
    season: SeasonView,
    limit: number,
    after: string | null,
  ): Promise<StandingRow[]> {
    const cursor = after ? decodeCursor(after, ['x', 'r', 'a'] as const, { r: 'time' }) : null;
    return manager.query(
      `${RANKED_SQL}
       SELECT * FROM ranked
        WHERE $3::bigint IS NULL
           OR xp < $3::bigint
           OR (xp = $3::bigint AND (reached_at > $4::timestamptz
               OR (reached_at = $4::timestamptz AND account_id > $5::bigint)))
        ORDER BY place
        LIMIT $6`,
      [
        season.startsAt,
        season.endsAt,
        cursor?.x ?? null,
        cursor?.r ?? null,
        cursor?.a ?? null,
        limit,
      ],
    );
  }

  private async paidPrizes(tx: Tx, seasonId: number): Promise<SeasonPrize[]> {
    const rows: { id: string; account_id: string; coins_delta: string; idempotency_key: string }[] =
      await tx.manager.query(
        `SELECT id, account_id, coins_delta, idempotency_key FROM ledger_entries
          WHERE idempotency_key LIKE $1 ORDER BY idempotency_key`,
        [`season:${seasonId}:prize:%`],
      );
    return rows.map((row) => ({
      place: Number(row.idempotency_key.split(':').pop()),
      accountId: String(row.account_id),
      coins: Number(row.coins_delta),
      entryId: String(row.id),
    }));
  }

  private manager(tx?: Tx): EntityManager {
    return tx?.manager ?? this.dataSource.manager;
  }
}

/** Standings of the window [$1, $2): positive XP summed per account, ties to the earliest. */
const RANKED_SQL = `
  WITH totals AS (
    SELECT account_id, sum(xp_delta) AS xp, max(created_at) AS reached_at
      FROM ledger_entries
     WHERE created_at >= $1 AND created_at < $2 AND xp_delta > 0
     GROUP BY account_id
  ), ranked AS (
    SELECT account_id, xp, reached_at, reached_at::text AS reached_text,
           row_number() OVER (ORDER BY xp DESC, reached_at ASC, account_id ASC) AS place
      FROM totals
  )`;

function seasonNotFound(seasonId: number): EconomyError {
  return new EconomyError('SEASON_NOT_FOUND', `Season ${seasonId} does not exist`, { seasonId });
}

function toView(row: SeasonRow): SeasonView {
  return {
    id: Number(row.id),
    name: row.name,
    startsAt: new Date(row.starts_at),
    endsAt: new Date(row.ends_at),
    status: row.status,
    closedAt: row.closed_at ? new Date(row.closed_at) : null,
  };
}

function toStanding(row: StandingRow): StandingEntry {
  return {
    place: Number(row.place),
    accountId: String(row.account_id),
    xp: Number(row.xp),
    reachedAt: new Date(row.reached_at),
  };
}
