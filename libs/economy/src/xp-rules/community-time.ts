import { instantOfWallTime } from '@ttfd/clock';

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;
const WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * An admin's time for an event window: "2026-12-31T18:00" is read in the community's zone
 * (COMMUNITY_TIMEZONE, where players live); a time with an offset or Z is taken as given.
 * Null when the text is neither, or names a time that does not exist.
 */
export function parseCommunityTime(text: string, timeZone: string): Date | null {
  const trimmed = text.trim();
  if (WITH_ZONE.test(trimmed)) {
    const ms = Date.parse(trimmed);
    return Number.isNaN(ms) ? null : new Date(ms);
  }
  const match = LOCAL.exec(trimmed);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0));
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(asUtc);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59) {
    return null;
  }
  return instantOfWallTime(asUtc, timeZone);
}
