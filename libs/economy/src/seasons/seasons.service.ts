import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '@ttfd/clock';
import { AppConfig } from '@ttfd/config';
import { inTransaction, Tx } from '@ttfd/database';
import { SEASON_LOCK_CLASS } from './season-membership';
import { SeasonPayout, SeasonPrize } from './season-payout.service';
import { SEASON_COLUMNS, SeasonRow, SeasonView, seasonNotFound, toSeasonView } from './season-view';
import { seasonName, seasonWindow } from './season-window';

export interface SeasonCloseResult {
  season: SeasonView;
  /** False when the season had been closed already: nothing was paid this time. */
  closedNow: boolean;
  prizes: SeasonPrize[];
}

/** A bound on catching up after downtime: one close per missed season. */
const MAX_ROLLOVER_STEPS = 1_000;

/**
 * The seasons' lifecycle: which season is open, opening one, and closing it (by the schedule or
 * an admin). Which season an award counts in is decided by the season lock
 * (`SeasonMembership`), not by its timestamp. A close freezes the standings into
 * `season_results` (read by `SeasonStandings`) and has `SeasonPayout` pay the podium from them.
 */
@Injectable()
export class SeasonsService {
  private readonly cron: string;
  private readonly timeZone: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly payout: SeasonPayout,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.cron = config.env.SEASON_CRON;
    this.timeZone = config.communityTimeZone;
  }

  /** The open season, if any. */
  async current(tx?: Tx): Promise<SeasonView | null> {
    const rows: SeasonRow[] = await this.manager(tx).query(
      `SELECT ${SEASON_COLUMNS} FROM seasons WHERE status = 'open'`,
    );
    return rows[0] ? toSeasonView(rows[0]) : null;
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
    return toSeasonView(rows[0]);
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
      if (row.status === 'closed') return { season: toSeasonView(row), closedNow: false };
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
      return { season: toSeasonView(closedRows[0]), closedNow: true };
    });
    return { season, closedNow, prizes: await this.payout.payPodium(season.id) };
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

  private manager(tx?: Tx): EntityManager {
    return tx?.manager ?? this.dataSource.manager;
  }
}
