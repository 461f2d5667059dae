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
import { SEASON_LOCK_CLASS } from './season-membership';
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

/** A bound on catching up after downtime: one close per missed season. */
const MAX_ROLLOVER_STEPS = 1_000;

/**
 * Seasons, opened and closed by the schedule or an admin. Which season an award counts in is
 * decided by the season lock (`SeasonMembership`), not by its timestamp; the open season's
 * standings are the `season_scores` read model, a closed season's are `season_results`, frozen by
 * the close. The podium is paid from those results through `award` with keys
 * `season:{id}:prize:{place}`: paid once, and retried by the next roll-over if a payout failed.
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

  /**
   * The scheduler's step: close every open season that has ended (each close opens the next,
   * so after a long downtime this walks forward season by season), pay any podium still unpaid
   * (a payout that failed after its close committed), then make sure one season is open.
   */
  async rollOver(): Promise<{ closed: SeasonCloseResult[]; open: SeasonView }> {
    const closed: SeasonCloseResult[] = [];
    for (let step = 0; step < MAX_ROLLOVER_STEPS; step++) {
      const open = await this.current();
      if (!open || open.endsAt.getTime() > this.clock.nowMs()) break;
      closed.push(await this.close(open.id));
    }
    const unpaid: { id: number }[] = await this.dataSource.query(
      `SELECT id FROM seasons WHERE status = 'closed' AND prizes_paid_at IS NULL ORDER BY id`,
    );
    for (const { id } of unpaid) {
      if (!closed.some((result) => result.season.id === Number(id))) await this.close(Number(id));
    }
    return { closed, open: await this.ensureOpen() };
  }

  /**
   * Closes a season and pays its podium, once. An admin may close a season early: its window
   * then ends now. Closing a closed season (again, or concurrently) pays what is still unpaid
   * (nothing, normally) and returns what was paid.
   *
   * Two steps. The close, in its own transaction: take the season's lock exclusively (so every
   * award still in flight commits first and every later one joins the next season), mark it
   * closed, open the next season, and freeze the standings into `season_results`. Then the
   * payout, from those results, one idempotent award per place (`season:{id}:prize:{place}`):
   * it locks accounts, which the close must not do while it holds the season (an award that
   * holds an account and waits for the season would deadlock with it).
   */
  async close(seasonId: number): Promise<SeasonCloseResult> {
    await this.get(seasonId);
    const { season, closedNow } = await inTransaction(this.dataSource, undefined, async (tx) => {
      const rows: SeasonRow[] = await tx.manager.query(
        `SELECT ${SEASON_COLUMNS} FROM seasons WHERE id = $1 FOR UPDATE`,
        [seasonId],
      );
      const row = rows[0];
      if (!row) throw seasonNotFound(seasonId);
      if (row.status === 'closed') return { season: toView(row), closedNow: false };
      await tx.manager.query(`SELECT pg_advisory_xact_lock($1, $2)`, [SEASON_LOCK_CLASS, seasonId]);
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
      // Same transaction: an award never finds no season open between two seasons.
      await this.openNext(tx, endsAt);
      await tx.manager.query(
        `INSERT INTO season_results (season_id, place, account_id, xp, reached_at)
         SELECT season_id,
                row_number() OVER (ORDER BY xp DESC, reached_at ASC, account_id ASC),
                account_id, xp, reached_at
           FROM season_scores WHERE season_id = $1`,
        [seasonId],
      );
      return { season: toView(closedRows[0]), closedNow: true };
    });
    return { season, closedNow, prizes: await this.payPodium(season.id) };
  }

  /** Pays each podium place from the frozen results; safe to repeat (idempotent keys). */
  private async payPodium(seasonId: number): Promise<SeasonPrize[]> {
    const podium: { place: number; account_id: string }[] = await this.dataSource.query(
      `SELECT place, account_id FROM season_results WHERE season_id = $1 AND place <= $2
        ORDER BY place`,
      [seasonId, this.prizes.length],
    );
    const prizes: SeasonPrize[] = [];
    for (const standing of podium) {
      const place = Number(standing.place);
      const accountId = String(standing.account_id);
      const coins = this.prizes[place - 1] ?? 0;
      const entryId = await inTransaction(this.dataSource, undefined, async (tx) => {
        let paid: string | null = null;
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
          paid = result.entryId;
        }
        // The survivor, if the winner was merged since: the award resolved it.
        const survivor = await this.accounts.resolveSurvivor(accountId, tx);
        if (place <= 3) await this.achievements.unlock(tx, survivor, 'season_top_3', 'system');
        return paid;
      });
      prizes.push({ place, accountId, coins, entryId });
    }
    await this.dataSource.query(
      `UPDATE seasons SET prizes_paid_at = $2 WHERE id = $1 AND prizes_paid_at IS NULL`,
      [seasonId, this.clock.now()],
    );
    return prizes;
  }

  /** Opens the season after one that ends at `previousEnd`, inside the closing transaction. */
  private async openNext(tx: Tx, previousEnd: Date): Promise<void> {
    const now = this.clock.now();
    const { startsAt, endsAt } = seasonWindow(this.cron, this.timeZone, now, previousEnd);
    await tx.manager.query(
      `INSERT INTO seasons (name, starts_at, ends_at, status, created_at)
       VALUES ($1, $2, $3, 'open', $4)`,
      [seasonName(startsAt, endsAt, this.timeZone), startsAt, endsAt, now],
    );
  }

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
   * The open season counts the rows ahead in `season_scores` (an index range); a closed one
   * reads its frozen place.
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
            `SELECT 1 + (SELECT count(*) FROM season_scores o
                          WHERE o.season_id = m.season_id
                            AND (o.xp > m.xp OR (o.xp = m.xp AND (o.reached_at < m.reached_at
                                 OR (o.reached_at = m.reached_at AND o.account_id < m.account_id)))))
                     AS place, m.xp
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
    if (seasonId !== 'current') return this.get(seasonId);
    const open = await this.current();
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

  private manager(tx?: Tx): EntityManager {
    return tx?.manager ?? this.dataSource.manager;
  }
}

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
