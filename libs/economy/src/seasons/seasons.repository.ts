import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Tx } from '@ttfd/database';
import { SeasonView } from './season-view';

interface SeasonRow {
  id: number;
  name: string;
  starts_at: Date;
  ends_at: Date;
  status: 'open' | 'closed';
  closed_at: Date | null;
}

const SEASON_COLUMNS = 'id, name, starts_at, ends_at, status, closed_at';

/** A season window to open: its name and bounds. */
export interface NewSeason {
  name: string;
  startsAt: Date;
  endsAt: Date;
  createdAt: Date;
}

/**
 * `seasons`, the rows and their one mapping to `SeasonView`. One open season is a unique index:
 * `insertOpen` either relies on it (the race-safe open) or, inside a close, knows the old one is
 * closed already. The rules (when a season ends, who closes it) stay in `SeasonsService`.
 */
@Injectable()
export class SeasonsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async open(tx?: Tx): Promise<SeasonView | null> {
    const rows: SeasonRow[] = await this.manager(tx).query(
      `SELECT ${SEASON_COLUMNS} FROM seasons WHERE status = 'open'`,
    );
    return rows[0] ? toSeasonView(rows[0]) : null;
  }

  /** With `lock`, the row is locked FOR UPDATE (a close; `tx` required). */
  async byId(seasonId: number, tx?: Tx, lock = false): Promise<SeasonView | null> {
    const rows: SeasonRow[] = await this.manager(tx).query(
      `SELECT ${SEASON_COLUMNS} FROM seasons WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [seasonId],
    );
    return rows[0] ? toSeasonView(rows[0]) : null;
  }

  /** The newest seasons first (the dashboard's list). */
  async latest(limit: number): Promise<SeasonView[]> {
    const rows: SeasonRow[] = await this.dataSource.query(
      `SELECT ${SEASON_COLUMNS} FROM seasons ORDER BY starts_at DESC, id DESC LIMIT $1`,
      [limit],
    );
    return rows.map(toSeasonView);
  }

  /** When the last season ends: the next one starts there. */
  async lastEnd(): Promise<Date | null> {
    const rows: { ends_at: Date }[] = await this.dataSource.query(
      `SELECT ends_at FROM seasons ORDER BY ends_at DESC LIMIT 1`,
    );
    return rows[0] ? new Date(rows[0].ends_at) : null;
  }

  /**
   * Opens a season. Without `tx`, a concurrent open wins quietly (the unique open index);
   * inside a close's `tx` the old season is closed, so a conflict would be a bug and raises.
   */
  async insertOpen(season: NewSeason, tx?: Tx): Promise<void> {
    await this.manager(tx).query(
      `INSERT INTO seasons (name, starts_at, ends_at, status, created_at)
       VALUES ($1, $2, $3, 'open', $4)${tx ? '' : ' ON CONFLICT DO NOTHING'}`,
      [season.name, season.startsAt, season.endsAt, season.createdAt],
    );
  }

  async markClosed(tx: Tx, seasonId: number, at: Date, endsAt: Date): Promise<SeasonView> {
    const [rows]: [SeasonRow[], number] = await tx.manager.query(
      `UPDATE seasons SET status = 'closed', closed_at = $2, ends_at = $3 WHERE id = $1
       RETURNING ${SEASON_COLUMNS}`,
      [seasonId, at, endsAt],
    );
    return toSeasonView(rows[0]);
  }

  /** Closed seasons whose podium is not paid yet (a payout failed after its close). */
  async unpaid(): Promise<number[]> {
    const rows: { id: number }[] = await this.dataSource.query(
      `SELECT id FROM seasons WHERE status = 'closed' AND prizes_paid_at IS NULL ORDER BY id`,
    );
    return rows.map((row) => Number(row.id));
  }

  async markPaid(seasonId: number, at: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE seasons SET prizes_paid_at = $2 WHERE id = $1 AND prizes_paid_at IS NULL`,
      [seasonId, at],
    );
  }

  private manager(tx?: Tx): EntityManager {
    return tx?.manager ?? this.dataSource.manager;
  }
}

function toSeasonView(row: SeasonRow): SeasonView {
  return {
    id: Number(row.id),
    name: row.name,
    startsAt: new Date(row.starts_at),
    endsAt: new Date(row.ends_at),
    status: row.status,
    closedAt: row.closed_at ? new Date(row.closed_at) : null,
  };
}
