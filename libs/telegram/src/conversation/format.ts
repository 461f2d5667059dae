import { Locale, translate } from '@ttfd/i18n';

/** `2026-01-16 00:00` in the community's zone: players share one day boundary. */
export function formatLocalTime(instant: Date, timeZone: string): string {
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
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

/** "50 XP and 25 coins" / "50 XP": what a reward says, localized, zero parts left out. */
export function rewardText(locale: Locale, xp: number, coins = 0): string {
  const parts = [
    xp > 0 ? translate(locale, 'common.xp', { count: xp }) : '',
    coins > 0 ? translate(locale, 'common.coins', { count: coins }) : '',
  ].filter(Boolean);
  return parts.join(locale === 'ru' ? ' и ' : ' and ') || '0';
}
