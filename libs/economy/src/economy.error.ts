import { DomainError } from '@ttfd/common';

export const ECONOMY_ERROR_CODES = [
  'ACCOUNT_NOT_FOUND',
  'INVALID_AMOUNT',
  'AMOUNT_TOO_LARGE',
  'INSUFFICIENT_COINS',
  'XP_BELOW_ZERO',
  'INVALID_IDEMPOTENCY_KEY',
  'SEASON_NOT_FOUND',
  'INVALID_CURSOR',
  'IDEMPOTENCY_KEY_REUSED',
] as const;
export type EconomyErrorCode = (typeof ECONOMY_ERROR_CODES)[number];

/** A refused economy operation. Nothing was changed when one of these is thrown. */
export class EconomyError extends DomainError<EconomyErrorCode> {}
