import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares the webhook's X-Telegram-Bot-Api-Secret-Token with ours in constant time. Both sides
 * are hashed first so that neither the length nor a common prefix leaks through timing.
 */
export function secretTokenMatches(
  given: string | string[] | undefined,
  expected: string,
): boolean {
  if (typeof given !== 'string' || given.length === 0) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
