import { HttpStatus } from '@nestjs/common';
import { DomainError } from '@ttfd/common';
import { API_ERROR_CODES, ApiErrorCode } from './api.error';

/**
 * The one place an error code becomes an HTTP status. Every code union is switched over
 * exhaustively (lint: switch-exhaustiveness-check), so a new domain code fails the build here
 * until someone decides its answer. GraphQL carries the code itself in `extensions.code`.
 */
export function httpStatusOf(error: DomainError): number {
  const code = error.code;
  if (isCode(API_ERROR_CODES, code)) return apiStatus(code);
  // Codes of a library this edge does not know yet: a refused request, not a crash.
  return HttpStatus.UNPROCESSABLE_ENTITY;
}

function apiStatus(code: ApiErrorCode): number {
  switch (code) {
    case 'UNAUTHENTICATED':
    case 'TELEGRAM_LOGIN_INVALID':
    case 'TELEGRAM_LOGIN_EXPIRED':
      return HttpStatus.UNAUTHORIZED;
    case 'FORBIDDEN':
      return HttpStatus.FORBIDDEN;
    case 'TELEGRAM_LOGIN_UNAVAILABLE':
      return HttpStatus.SERVICE_UNAVAILABLE;
    case 'RATE_LIMITED':
      return HttpStatus.TOO_MANY_REQUESTS;
    case 'NOT_FOUND':
    case 'UNKNOWN_RANK':
    case 'UNKNOWN_ACHIEVEMENT':
      return HttpStatus.NOT_FOUND;
    case 'ROLE_ALREADY_MAPPED':
      return HttpStatus.CONFLICT;
    case 'QUERY_TOO_DEEP':
    case 'QUERY_TOO_COMPLEX':
    case 'BAD_REQUEST':
      return HttpStatus.BAD_REQUEST;
  }
}

export function isCode<C extends string>(codes: readonly C[], code: string): code is C {
  return (codes as readonly string[]).includes(code);
}
