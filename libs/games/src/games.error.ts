import { DomainError } from '@ttfd/common';

export const GAMES_ERROR_CODES = [
  'GAME_NOT_FOUND',
  'GAME_FINISHED',
  'INVALID_GUESS',
  'INVALID_ANSWER',
  'ALREADY_SPUN',
  'ALREADY_CLAIMED',
] as const;
export type GamesErrorCode = (typeof GAMES_ERROR_CODES)[number];

/** A refused game move. Nothing was changed (no try consumed, nothing paid). */
export class GamesError extends DomainError<GamesErrorCode> {}
