/**
 * The daily reward: 100 XP + 50 coins once per calendar day in COMMUNITY_TIMEZONE. Claiming on
 * consecutive days builds a streak (a missed day starts it again at 1); each day of streak past
 * the first adds 10 XP, up to +60 XP from the 7th day on. Reaching 7 days unlocks
 * `daily_streak_7`.
 */
export const DAILY_XP = 100;
export const DAILY_COINS = 50;
export const DAILY_STREAK_BONUS_XP = 10;
export const DAILY_STREAK_BONUS_CAP_DAYS = 7;
export const DAILY_STREAK_ACHIEVEMENT_DAYS = 7;

export function dailyReward(streak: number): { xp: number; coins: number; bonusXp: number } {
  const bonusXp = DAILY_STREAK_BONUS_XP * (Math.min(streak, DAILY_STREAK_BONUS_CAP_DAYS) - 1);
  return { xp: DAILY_XP + bonusXp, coins: DAILY_COINS, bonusXp };
}

/** The calendar date before a YYYY-MM-DD date. */
export function previousDate(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - 1);
  return day.toISOString().slice(0, 10);
}

export function nextDate(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString().slice(0, 10);
}
