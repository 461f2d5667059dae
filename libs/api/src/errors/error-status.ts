import { HttpStatus } from '@nestjs/common';
import { DomainError } from '@ttfd/common';
import {
  ECONOMY_ERROR_CODES,
  EconomyErrorCode,
  XP_RULES_ERROR_CODES,
  XpRulesErrorCode,
} from '@ttfd/economy';
import { IMPORT_ERROR_CODES, ImportErrorCode } from '@ttfd/imports';
import { LINKING_ERROR_CODES, LinkingErrorCode } from '@ttfd/linking';
import { ROLE_MAPPING_ERROR_CODES, RoleMappingErrorCode } from '@ttfd/sync';
import { API_ERROR_CODES, ApiErrorCode } from './api.error';

/**
 * The one place an error code becomes an HTTP status. Every code union is switched over
 * exhaustively (lint: switch-exhaustiveness-check), so a new domain code fails the build here
 * until someone decides its answer. GraphQL carries the code itself in `extensions.code`.
 */
export function httpStatusOf(error: DomainError): number {
  const code = error.code;
  if (isCode(API_ERROR_CODES, code)) return apiStatus(code);
  if (isCode(ECONOMY_ERROR_CODES, code)) return economyStatus(code);
  if (isCode(LINKING_ERROR_CODES, code)) return linkingStatus(code);
  if (isCode(XP_RULES_ERROR_CODES, code)) return xpRulesStatus(code);
  if (isCode(IMPORT_ERROR_CODES, code)) return importStatus(code);
  if (isCode(ROLE_MAPPING_ERROR_CODES, code)) return roleMappingStatus(code);
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
      return HttpStatus.NOT_FOUND;
    case 'QUERY_TOO_DEEP':
    case 'QUERY_TOO_COMPLEX':
    case 'BAD_REQUEST':
    case 'INVALID_TEXT':
      return HttpStatus.BAD_REQUEST;
  }
}

function economyStatus(code: EconomyErrorCode): number {
  switch (code) {
    case 'ACCOUNT_NOT_FOUND':
    case 'SEASON_NOT_FOUND':
      return HttpStatus.NOT_FOUND;
    case 'INVALID_AMOUNT':
    case 'AMOUNT_TOO_LARGE':
    case 'INSUFFICIENT_COINS':
    case 'XP_BELOW_ZERO':
      return HttpStatus.UNPROCESSABLE_ENTITY;
    case 'INVALID_IDEMPOTENCY_KEY':
    case 'INVALID_CURSOR':
      return HttpStatus.BAD_REQUEST;
    case 'IDEMPOTENCY_KEY_REUSED':
      return HttpStatus.CONFLICT;
  }
}

function linkingStatus(code: LinkingErrorCode): number {
  switch (code) {
    case 'LINK_CODE_INVALID':
    case 'IDENTITY_UNKNOWN':
      return HttpStatus.NOT_FOUND;
    case 'LINK_CODE_EXPIRED':
    case 'LINK_CODE_USED':
      return HttpStatus.GONE;
    case 'LINK_TOO_MANY_ATTEMPTS':
      return HttpStatus.TOO_MANY_REQUESTS;
    case 'LINK_SELF':
    case 'LINK_SAME_PLATFORM':
    case 'LINK_ALREADY_LINKED':
    case 'LINK_NOT_LINKED':
      return HttpStatus.CONFLICT;
  }
}

function xpRulesStatus(code: XpRulesErrorCode): number {
  switch (code) {
    case 'INVALID_XP_RULE':
      return HttpStatus.UNPROCESSABLE_ENTITY;
    case 'XP_EVENT_NOT_FOUND':
      return HttpStatus.NOT_FOUND;
  }
}

export function isCode<C extends string>(codes: readonly C[], code: string): code is C {
  return (codes as readonly string[]).includes(code);
}

function importStatus(code: ImportErrorCode): number {
  switch (code) {
    case 'IMPORT_INVALID':
    case 'IMPORT_WRONG_GUILD':
      return HttpStatus.BAD_REQUEST;
    case 'IMPORT_NOT_FOUND':
      return HttpStatus.NOT_FOUND;
    case 'IMPORT_NOT_REVERTIBLE':
      return HttpStatus.CONFLICT;
    case 'IMPORT_SOURCE_UNAVAILABLE':
      return HttpStatus.SERVICE_UNAVAILABLE;
  }
}

function roleMappingStatus(code: RoleMappingErrorCode): number {
  switch (code) {
    case 'UNKNOWN_RANK':
    case 'UNKNOWN_ACHIEVEMENT':
    case 'UNKNOWN_DISCORD_ROLE':
      return HttpStatus.NOT_FOUND;
    case 'ROLE_ALREADY_MAPPED':
      return HttpStatus.CONFLICT;
    case 'MAPPING_KEY_REPEATED':
      return HttpStatus.BAD_REQUEST;
  }
}
