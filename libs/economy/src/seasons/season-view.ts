import { EconomyError } from '../economy.error';

/** A season as the economy hands it out (`SeasonsRepository` maps its row). */
export interface SeasonView {
  id: number;
  name: string;
  startsAt: Date;
  endsAt: Date;
  status: 'open' | 'closed';
  closedAt: Date | null;
}

export function seasonNotFound(seasonId: number): EconomyError {
  return new EconomyError('SEASON_NOT_FOUND', `Season ${seasonId} does not exist`, { seasonId });
}
