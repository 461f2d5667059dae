import { EconomyError } from '../economy.error';

/** A season as the economy hands it out, and the row it is read from. */
export interface SeasonView {
  id: number;
  name: string;
  startsAt: Date;
  endsAt: Date;
  status: 'open' | 'closed';
  closedAt: Date | null;
}

export interface SeasonRow {
  id: number;
  name: string;
  starts_at: Date;
  ends_at: Date;
  status: 'open' | 'closed';
  closed_at: Date | null;
}

export const SEASON_COLUMNS = 'id, name, starts_at, ends_at, status, closed_at';

export function toSeasonView(row: SeasonRow): SeasonView {
  return {
    id: Number(row.id),
    name: row.name,
    startsAt: new Date(row.starts_at),
    endsAt: new Date(row.ends_at),
    status: row.status,
    closedAt: row.closed_at ? new Date(row.closed_at) : null,
  };
}

export function seasonNotFound(seasonId: number): EconomyError {
  return new EconomyError('SEASON_NOT_FOUND', `Season ${seasonId} does not exist`, { seasonId });
}
