import { dailyReward, nextDate, previousDate } from './daily.rules';

describe('daily reward rules', () => {
  it('pays 100 XP + 50 coins, plus 10 XP per streak day, capped at +60', () => {
    expect(dailyReward(1)).toEqual({ xp: 100, coins: 50, bonusXp: 0 });
    expect(dailyReward(2)).toEqual({ xp: 110, coins: 50, bonusXp: 10 });
    expect(dailyReward(7)).toEqual({ xp: 160, coins: 50, bonusXp: 60 });
    expect(dailyReward(30)).toEqual({ xp: 160, coins: 50, bonusXp: 60 });
  });

  it('steps calendar dates across months and leap days', () => {
    expect(previousDate('2026-03-01')).toBe('2026-02-28');
    expect(previousDate('2028-03-01')).toBe('2028-02-29');
    expect(nextDate('2026-12-31')).toBe('2027-01-01');
  });
});
