import type { Locale } from './i18n';

/**
 * `2026-01-16 00:00 (Moscow Standard Time, GMT+3)`: a moment as the community's clock shows it,
 * with the zone's own name in the reader's language, so a player in another zone can tell what
 * it means. Every time a bot shows (next daily reward, next spin, link expiry, season end) goes
 * through here: the zone comes from COMMUNITY_TIMEZONE, never from a hardcoded label.
 */
export function formatCommunityTime(instant: Date, timeZone: string, locale: Locale): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? '';
  const local = `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
  return `${local} (${timeZoneLabel(instant, timeZone, locale)})`;
}

/**
 * The zone's name at `instant` (daylight saving changes it), from Intl in the reader's locale:
 * its long name and its offset ("Moscow Standard Time, GMT+3", "Москва, стандартное время,
 * GMT+3"), or the offset alone for zones that have no name of their own ("GMT-12" for
 * Etc/GMT+12, whose long name is only "GMT-12:00").
 */
export function timeZoneLabel(instant: Date, timeZone: string, locale: Locale): string {
  const name = (style: 'long' | 'short') =>
    new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: style })
      .formatToParts(instant)
      .find((part) => part.type === 'timeZoneName')?.value ?? timeZone;
  const offset = name('short');
  const long = name('long');
  return long === offset || /^(GMT|UTC)([+-−]|$)/.test(long) ? offset : `${long}, ${offset}`;
}
