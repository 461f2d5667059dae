import { createHash } from 'node:crypto';
import type { Locale } from '@ttfd/i18n';

/** Everything a rank card shows, already localized: the renderer draws exactly this. */
export interface RankCardData {
  locale: Locale;
  displayName: string;
  rank: { id: number; name: string };
  /** Null at the top rank. */
  nextRankName: string | null;
  xp: number;
  xpIntoRank: number;
  xpForNextRank: number;
  coins: number;
  /** Place in the open season; null when no season is open or nothing was earned in it. */
  seasonPlace: number | null;
  /** Unlocked achievements' names, in the catalogue's order. */
  achievements: string[];
  /**
   * Identifies the avatar picture (Discord's avatar hash, Telegram's file_unique_id), null for
   * the initials. The bytes are fetched only when the card has to be drawn.
   */
  avatarKey: string | null;
}

/**
 * The card's version: a digest of everything it shows. Any change of XP, coins, rank, season
 * place, achievements, name, avatar or language gives a new version, so a cached card is never
 * stale, and an unchanged profile finds its card again.
 */
export function cardVersion(data: RankCardData): string {
  const shown = [
    data.locale,
    data.displayName,
    data.rank.id,
    data.rank.name,
    data.nextRankName,
    data.xp,
    data.xpIntoRank,
    data.xpForNextRank,
    data.coins,
    data.seasonPlace,
    data.achievements,
    data.avatarKey,
  ];
  return createHash('sha256').update(JSON.stringify(shown)).digest('hex').slice(0, 16);
}
