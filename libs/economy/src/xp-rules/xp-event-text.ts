import { formatCommunityTime, Locale, translate } from '@ttfd/i18n';
import { XpEvent } from './xp-rules.types';

/** "⚡ Weekend: ×2 XP for games, the daily reward until ...": one line per running event. */
export function xpEventLines(
  locale: Locale,
  events: readonly XpEvent[],
  timeZone: string,
): string[] {
  return events.map((event) =>
    translate(locale, 'xp.event.active', {
      name: event.name,
      multiplier: event.multiplier,
      sources: event.sources
        .map((source) => translate(locale, `xp.event.sources.${source}`))
        .join(', '),
      until: formatCommunityTime(event.endsAt, timeZone, locale),
    }),
  );
}
