import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@ttfd/clock';
import { AppConfig } from '@ttfd/config';
import { inTransaction, Tx } from '@ttfd/database';
import { SEASON_LOCK_CLASS } from './season-membership';
import { SeasonPayout, SeasonPrize } from './season-payout.service';
import { SeasonView, seasonNotFound } from './season-view';
import { NewSeason, SeasonsRepository } from './seasons.repository';
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
    private readonly seasons: SeasonsRepository,
    private readonly payout: SeasonPayout,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.cron = config.env.SEASON_CRON;
    this.timeZone = config.communityTimeZone;
  }

  /** The open season, if any. */
  async current(tx?: Tx): Promise<SeasonView | null> {
    return this.seasons.open(tx);
  }

  async get(seasonId: number, tx?: Tx): Promise<SeasonView> {
    if (!Number.isSafeInteger(seasonId) || seasonId < 1 || seasonId > 2_147_483_647) {
      throw seasonNotFound(seasonId);
    }
    const season = await this.seasons.byId(seasonId, tx);
    if (!season) throw seasonNotFound(seasonId);
    return season;
  }

  /** Opens a season if none is open (race-safe: one open season is a unique index). */
  async ensureOpen(): Promise<SeasonView> {
    const open = await this.current();
    if (open) return open;
    const now = this.clock.now();
    await this.seasons.insertOpen(this.nextWindow(now, await this.seasons.lastEnd()));
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
    for (const id of await this.seasons.unpaid()) {
      if (!closed.some((result) => result.season.id === id)) await this.close(id);
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
      const row = await this.seasons.byId(seasonId, tx, true);
      if (!row) throw seasonNotFound(seasonId);
      if (row.status === 'closed') return { season: row, closedNow: false };
      await tx.manager.query(`SELECT pg_advisory_xact_lock($1, $2)`, [SEASON_LOCK_CLASS, seasonId]);
      const now = this.clock.now();
      const endsAt =
        now.getTime() < row.endsAt.getTime() && now.getTime() > row.startsAt.getTime()
          ? now
          : row.endsAt;
      const season = await this.seasons.markClosed(tx, seasonId, now, endsAt);
      // Same transaction: an award never finds no season open between two seasons.
      await this.seasons.insertOpen(this.nextWindow(this.clock.now(), endsAt), tx);
      await tx.manager.query(
        `INSERT INTO season_results (season_id, place, account_id, xp, reached_at)
         SELECT season_id,
                row_number() OVER (ORDER BY xp DESC, reached_at ASC, account_id ASC),
                account_id, xp, reached_at
           FROM season_scores WHERE season_id = $1`,
        [seasonId],
      );
      return { season, closedNow: true };
    });
    return { season, closedNow, prizes: await this.payout.payPodium(season.id) };
  }

  /** The season after one that ends at `previousEnd` (none yet: the one around `now`). */
  private nextWindow(now: Date, previousEnd: Date | null): NewSeason {
    const { startsAt, endsAt } = seasonWindow(this.cron, this.timeZone, now, previousEnd);
    return { name: seasonName(startsAt, endsAt, this.timeZone), startsAt, endsAt, createdAt: now };
  }
}
