/**
 * The 20 ranks. The curve is MEE6's per-level cost `5L^2 + 50L + 100`, summed and multiplied by
 * ten so that a rank is worth several days of play rather than a few messages:
 * rank r needs `10 * sum_{L=0}^{r-2} (5L^2 + 50L + 100)` XP (rank 2 = 1,000, rank 5 = 7,700,
 * rank 20 = 209,950). The migration seeds the same table; tests check both against the curve.
 */
export interface Rank {
  id: number;
  nameRu: string;
  nameEn: string;
  minXp: number;
}

export const MAX_RANK_ID = 20;

/** MEE6's XP cost of one level, from level L to L + 1. */
export function levelCost(level: number): number {
  return 5 * level * level + 50 * level + 100;
}

/** The XP a rank needs, from the curve. */
export function rankThreshold(rankId: number): number {
  let sum = 0;
  for (let level = 0; level <= rankId - 2; level++) sum += levelCost(level);
  return 10 * sum;
}

export const RANKS: readonly Rank[] = [
  { id: 1, nameRu: 'Новичок', nameEn: 'Rookie', minXp: 0 },
  { id: 2, nameRu: 'Ученик', nameEn: 'Apprentice', minXp: 1000 },
  { id: 3, nameRu: 'Искатель', nameEn: 'Seeker', minXp: 2550 },
  { id: 4, nameRu: 'Боец', nameEn: 'Fighter', minXp: 4750 },
  { id: 5, nameRu: 'Воин', nameEn: 'Warrior', minXp: 7700 },
  { id: 6, nameRu: 'Ветеран', nameEn: 'Veteran', minXp: 11500 },
  { id: 7, nameRu: 'Страж', nameEn: 'Guardian', minXp: 16250 },
  { id: 8, nameRu: 'Рыцарь', nameEn: 'Knight', minXp: 22050 },
  { id: 9, nameRu: 'Капитан', nameEn: 'Captain', minXp: 29000 },
  { id: 10, nameRu: 'Командир', nameEn: 'Commander', minXp: 37200 },
  { id: 11, nameRu: 'Мастер', nameEn: 'Master', minXp: 46750 },
  { id: 12, nameRu: 'Эксперт', nameEn: 'Expert', minXp: 57750 },
  { id: 13, nameRu: 'Чемпион', nameEn: 'Champion', minXp: 70300 },
  { id: 14, nameRu: 'Герой', nameEn: 'Hero', minXp: 84500 },
  { id: 15, nameRu: 'Магистр', nameEn: 'Grandmaster', minXp: 100450 },
  { id: 16, nameRu: 'Хранитель', nameEn: 'Keeper', minXp: 118250 },
  { id: 17, nameRu: 'Титан', nameEn: 'Titan', minXp: 138000 },
  { id: 18, nameRu: 'Мифический', nameEn: 'Mythic', minXp: 159800 },
  { id: 19, nameRu: 'Бессмертный', nameEn: 'Immortal', minXp: 183750 },
  { id: 20, nameRu: 'Легенда', nameEn: 'Legend', minXp: 209950 },
];

export function rankById(rankId: number): Rank {
  const rank = RANKS[rankId - 1];
  if (!rank) throw new RangeError(`No rank ${rankId}`);
  return rank;
}

/** The highest rank whose threshold the XP has reached. Negative XP cannot exist (CHECK). */
export function rankForXp(xp: number): Rank {
  let found = RANKS[0];
  for (const rank of RANKS) {
    if (rank.minXp <= xp) found = rank;
    else break;
  }
  return found;
}

/** The rank after the one this XP holds, or null at the top. */
export function nextRank(xp: number): Rank | null {
  return RANKS[rankForXp(xp).id] ?? null;
}

export interface RankProgress {
  rank: Rank;
  next: Rank | null;
  /** XP earned since the current rank's threshold. */
  xpIntoRank: number;
  /** XP between the current rank's threshold and the next one's (0 at the top). */
  xpForNextRank: number;
  /** 0-100, floored; 100 at the top rank. */
  percent: number;
}

export function rankProgress(xp: number): RankProgress {
  const rank = rankForXp(xp);
  const next = nextRank(xp);
  const xpIntoRank = xp - rank.minXp;
  if (!next) return { rank, next, xpIntoRank, xpForNextRank: 0, percent: 100 };
  const xpForNextRank = next.minXp - rank.minXp;
  return {
    rank,
    next,
    xpIntoRank,
    xpForNextRank,
    percent: Math.floor((xpIntoRank * 100) / xpForNextRank),
  };
}

/** Achievement codes for reaching a rank. */
export const RANK_ACHIEVEMENTS: ReadonlyArray<{ rankId: number; code: string }> = [
  { rankId: 5, code: 'rank_5' },
  { rankId: 10, code: 'rank_10' },
  { rankId: 15, code: 'rank_15' },
  { rankId: 20, code: 'rank_20' },
];
