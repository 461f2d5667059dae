import type { DomainError } from '@ttfd/common';
import { EconomyError, EconomyErrorCode } from '@ttfd/economy';
import { formatCommunityTime, type Locale, type MessageKey, type Params } from '@ttfd/i18n';
import { GamesError, GamesErrorCode } from '@ttfd/games';
import { LinkingError, LinkingErrorCode } from '@ttfd/linking';

export interface LocalizedMessage {
  key: MessageKey;
  params?: Params;
}

/**
 * A refused domain operation as a message for the player. Each domain's codes are mapped with an
 * exhaustive switch: a code added to a domain fails lint here until the bot says something.
 */
export function domainErrorMessage(
  error: DomainError,
  timeZone: string,
  locale: Locale,
): LocalizedMessage {
  if (error instanceof EconomyError) return { key: economyKey(error.code) };
  if (error instanceof GamesError) {
    const { min, max, streak, nextSpinAt, nextClaimAt } = error.details;
    const next = nextSpinAt ?? nextClaimAt;
    return {
      key: gamesKey(error.code),
      params: {
        min: Number(min ?? 1),
        max: Number(max ?? 100),
        streak: Number(streak ?? 1),
        time:
          typeof next === 'string' ? formatCommunityTime(new Date(next), timeZone, locale) : '-',
      },
    };
  }
  if (error instanceof LinkingError) {
    return { key: linkingKey(error.code), params: minutesParam(error.details.retryAfterSeconds) };
  }
  return { key: 'common.internalError' };
}

function minutesParam(seconds: unknown): Params {
  return { minutes: Math.max(1, Math.ceil(Number(seconds ?? 60) / 60)) };
}

function economyKey(code: EconomyErrorCode): MessageKey {
  switch (code) {
    case 'ACCOUNT_NOT_FOUND':
      return 'error.ACCOUNT_NOT_FOUND';
    case 'INVALID_AMOUNT':
      return 'error.INVALID_AMOUNT';
    case 'AMOUNT_TOO_LARGE':
      return 'error.AMOUNT_TOO_LARGE';
    case 'INSUFFICIENT_COINS':
      return 'error.INSUFFICIENT_COINS';
    case 'XP_BELOW_ZERO':
      return 'error.XP_BELOW_ZERO';
    case 'INVALID_IDEMPOTENCY_KEY':
      return 'error.INVALID_IDEMPOTENCY_KEY';
    case 'SEASON_NOT_FOUND':
      return 'error.SEASON_NOT_FOUND';
    case 'INVALID_CURSOR':
      return 'error.INVALID_CURSOR';
    case 'IDEMPOTENCY_KEY_REUSED':
      return 'error.IDEMPOTENCY_KEY_REUSED';
  }
}

function linkingKey(code: LinkingErrorCode): MessageKey {
  switch (code) {
    case 'LINK_CODE_INVALID':
      return 'error.LINK_CODE_INVALID';
    case 'LINK_CODE_EXPIRED':
      return 'error.LINK_CODE_EXPIRED';
    case 'LINK_CODE_USED':
      return 'error.LINK_CODE_USED';
    case 'LINK_TOO_MANY_ATTEMPTS':
      return 'error.LINK_TOO_MANY_ATTEMPTS';
    case 'LINK_SELF':
      return 'error.LINK_SELF';
    case 'LINK_SAME_PLATFORM':
      return 'error.LINK_SAME_PLATFORM';
    case 'LINK_ALREADY_LINKED':
      return 'error.LINK_ALREADY_LINKED';
    case 'LINK_NOT_LINKED':
      return 'error.LINK_NOT_LINKED';
    case 'IDENTITY_UNKNOWN':
      return 'error.IDENTITY_UNKNOWN';
  }
}

function gamesKey(code: GamesErrorCode): MessageKey {
  switch (code) {
    case 'GAME_NOT_FOUND':
      return 'error.GAME_NOT_FOUND';
    case 'GAME_FINISHED':
      return 'error.GAME_FINISHED';
    case 'INVALID_GUESS':
      return 'error.INVALID_GUESS';
    case 'INVALID_ANSWER':
      return 'error.INVALID_ANSWER';
    case 'ALREADY_SPUN':
      return 'error.ALREADY_SPUN';
    case 'ALREADY_CLAIMED':
      return 'error.ALREADY_CLAIMED';
  }
}
