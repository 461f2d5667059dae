import type { DomainError } from '@ttfd/common';
import { EconomyError, EconomyErrorCode } from '@ttfd/economy';
import { GamesError, GamesErrorCode } from '@ttfd/games';
import { formatCommunityTime, type Locale, type MessageKey, type Params } from '@ttfd/i18n';
import { LinkingError, LinkingErrorCode } from '@ttfd/linking';

export type BotPlatform = 'telegram' | 'discord';

export interface LocalizedMessage {
  key: MessageKey;
  params: Params;
}

type RefusalCode = EconomyErrorCode | LinkingErrorCode | GamesErrorCode;

/**
 * The shared `error.*` text of these codes speaks from the Telegram side ("enter it in
 * Discord"); on Discord they read from the Discord side. Typed as keys, so a code listed here
 * without its `discord.error.*` message fails the typecheck.
 */
const DISCORD_WORDED = {
  ACCOUNT_NOT_FOUND: 'discord.error.ACCOUNT_NOT_FOUND',
  LINK_CODE_EXPIRED: 'discord.error.LINK_CODE_EXPIRED',
  LINK_SELF: 'discord.error.LINK_SELF',
  LINK_SAME_PLATFORM: 'discord.error.LINK_SAME_PLATFORM',
  LINK_ALREADY_LINKED: 'discord.error.LINK_ALREADY_LINKED',
  LINK_NOT_LINKED: 'discord.error.LINK_NOT_LINKED',
  IDENTITY_UNKNOWN: 'discord.error.IDENTITY_UNKNOWN',
} as const satisfies Partial<Record<RefusalCode, MessageKey>>;

/**
 * A refused domain operation as a message for the player, on either bot; null for anything that
 * is not a refusal (a bug: the caller logs it and answers generically). Every code of every
 * domain has an `error.{code}` message: the template below only typechecks while that holds, so
 * a code added to a domain fails the build until the bots can say something.
 */
export function refusalMessage(
  error: unknown,
  platform: BotPlatform,
  timeZone: string,
  locale: Locale,
): LocalizedMessage | null {
  if (
    !(error instanceof EconomyError) &&
    !(error instanceof LinkingError) &&
    !(error instanceof GamesError)
  ) {
    return null;
  }
  const code: RefusalCode = error.code;
  const shared: MessageKey = `error.${code}`;
  const worded =
    platform === 'discord' ? DISCORD_WORDED[code as keyof typeof DISCORD_WORDED] : undefined;
  return { key: worded ?? shared, params: refusalParams(error, timeZone, locale) };
}

/**
 * The details a refusal carries, as message placeholders: strings and numbers as they are, a
 * wait in minutes (`{minutes}`, at least 1) and the next allowed time in the community zone
 * (`{time}`, "-" when unknown). Game limits default to the game's own (1-100, a 1-day streak).
 */
function refusalParams(error: DomainError, timeZone: string, locale: Locale): Params {
  const params: Params = { min: 1, max: 100, streak: 1, time: '-' };
  for (const [name, value] of Object.entries(error.details)) {
    if (typeof value === 'string' || typeof value === 'number') params[name] = value;
  }
  if (params.minutes === undefined) {
    const retryAfterSeconds = Number(error.details.retryAfterSeconds ?? 60);
    params.minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  }
  const next = error.details.nextSpinAt ?? error.details.nextClaimAt;
  params.time =
    typeof next === 'string' ? formatCommunityTime(new Date(next), timeZone, locale) : '-';
  return params;
}
