import { DomainError } from '@ttfd/common';

/** Refusals decided at the edge itself (who is asking), with the same code discipline. */
export const API_ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'TELEGRAM_LOGIN_UNAVAILABLE',
  'TELEGRAM_LOGIN_INVALID',
  'TELEGRAM_LOGIN_EXPIRED',
  'RATE_LIMITED',
  'NOT_FOUND',
  'QUERY_TOO_DEEP',
  'QUERY_TOO_COMPLEX',
  'BAD_REQUEST',
  'INVALID_TEXT',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export class ApiError extends DomainError<ApiErrorCode> {}
