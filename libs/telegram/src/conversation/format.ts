import { Locale, translate } from '@ttfd/i18n';

/** "50 XP and 25 coins" / "50 XP": what a reward says, localized, zero parts left out. */
export function rewardText(locale: Locale, xp: number, coins = 0): string {
  const parts = [
    xp > 0 ? translate(locale, 'common.xp', { count: xp }) : '',
    coins > 0 ? translate(locale, 'common.coins', { count: coins }) : '',
  ].filter(Boolean);
  return parts.join(locale === 'ru' ? ' и ' : ' and ') || '0';
}
