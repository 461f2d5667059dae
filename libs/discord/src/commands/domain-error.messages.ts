import { EconomyError, EconomyErrorCode } from '@ttfd/economy';
import { MessageKey } from '@ttfd/i18n';
import { LinkingError, LinkingErrorCode } from '@ttfd/linking';

/**
 * Domain error codes -> the message a Discord member reads. Exhaustive switches: a new code
 * fails lint here until it has an answer. Codes whose shared `error.*` text speaks from the
 * Telegram side ("enter it in Discord") get Discord wording.
 */
export function linkingErrorKey(code: LinkingErrorCode): MessageKey {
  switch (code) {
    case 'LINK_CODE_INVALID':
      return 'error.LINK_CODE_INVALID';
    case 'LINK_CODE_EXPIRED':
      return 'discord.error.LINK_CODE_EXPIRED';
    case 'LINK_CODE_USED':
      return 'error.LINK_CODE_USED';
    case 'LINK_TOO_MANY_ATTEMPTS':
      return 'error.LINK_TOO_MANY_ATTEMPTS';
    case 'LINK_SELF':
      return 'discord.error.LINK_SELF';
    case 'LINK_SAME_PLATFORM':
      return 'discord.error.LINK_SAME_PLATFORM';
    case 'LINK_ALREADY_LINKED':
      return 'discord.error.LINK_ALREADY_LINKED';
    case 'LINK_NOT_LINKED':
      return 'discord.error.LINK_NOT_LINKED';
    case 'IDENTITY_UNKNOWN':
      return 'discord.error.IDENTITY_UNKNOWN';
  }
}

export function economyErrorKey(code: EconomyErrorCode): MessageKey {
  switch (code) {
    case 'ACCOUNT_NOT_FOUND':
      return 'discord.error.ACCOUNT_NOT_FOUND';
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

/** The message for an expected refusal, or null for a bug (the caller logs it). */
export function domainErrorMessage(
  error: unknown,
): { key: MessageKey; params: Record<string, string | number> } | null {
  const params: Record<string, string | number> = {};
  if (error instanceof LinkingError || error instanceof EconomyError) {
    for (const [name, value] of Object.entries(error.details)) {
      if (typeof value === 'string' || typeof value === 'number') params[name] = value;
    }
    if (typeof params.retryAfterSeconds === 'number' && params.minutes === undefined) {
      params.minutes = Math.max(1, Math.ceil(params.retryAfterSeconds / 60));
    }
  }
  if (error instanceof LinkingError) return { key: linkingErrorKey(error.code), params };
  if (error instanceof EconomyError) return { key: economyErrorKey(error.code), params };
  return null;
}
