import {
  levelCost,
  MAX_RANK_ID,
  nextRank,
  rankForXp,
  rankProgress,
  RANKS,
  rankThreshold,
} from './ranks';

describe('rank curve', () => {
  it('has 20 ranks whose thresholds are exactly the documented curve', () => {
    expect(RANKS).toHaveLength(MAX_RANK_ID);
    RANKS.forEach((rank, index) => {
      expect(rank.id).toBe(index + 1);
      expect(rank.minXp).toBe(rankThreshold(rank.id));
    });
    expect(levelCost(0)).toBe(100);
    expect(rankThreshold(2)).toBe(1000);
    expect(rankThreshold(5)).toBe(7700);
    expect(rankThreshold(20)).toBe(209950);
  });

  it('thresholds strictly increase and every rank has both names', () => {
    for (let i = 1; i < RANKS.length; i++)
      expect(RANKS[i].minXp).toBeGreaterThan(RANKS[i - 1].minXp);
    for (const rank of RANKS) {
      expect(rank.nameRu).toMatch(/\S/);
      expect(rank.nameEn).toMatch(/\S/);
    }
  });

  it('maps XP to ranks at and around every threshold', () => {
    expect(rankForXp(0).id).toBe(1);
    for (const rank of RANKS.slice(1)) {
      expect(rankForXp(rank.minXp - 1).id).toBe(rank.id - 1);
      expect(rankForXp(rank.minXp).id).toBe(rank.id);
    }
    expect(rankForXp(10_000_000).id).toBe(20);
  });

  it('gives the next rank and the progress towards it', () => {
    expect(nextRank(0)?.id).toBe(2);
    expect(nextRank(209950)).toBeNull();
    expect(rankProgress(500)).toMatchObject({ xpIntoRank: 500, xpForNextRank: 1000, percent: 50 });
    expect(rankProgress(1000 + 1549)).toMatchObject({
      rank: { id: 2 },
      next: { id: 3 },
      xpIntoRank: 1549,
      xpForNextRank: 1550,
      percent: 99,
    });
    expect(rankProgress(300000)).toMatchObject({ rank: { id: 20 }, next: null, percent: 100 });
  });
});
