import { cardVersion, type RankCardData } from './rank-card';

const base: RankCardData = {
  locale: 'en',
  displayName: 'Alice',
  rank: { id: 2, name: 'Apprentice' },
  nextRankName: 'Seeker',
  xp: 1500,
  xpIntoRank: 500,
  xpForNextRank: 1550,
  coins: 40,
  seasonPlace: 3,
  achievements: ['First steps'],
  avatarKey: 'discord:avatars/1/abc',
};

describe('cardVersion', () => {
  it('is stable for the same card', () => {
    expect(cardVersion({ ...base })).toBe(cardVersion(base));
    expect(cardVersion(base)).toMatch(/^[0-9a-f]{16}$/);
  });

  it.each<[string, Partial<RankCardData>]>([
    ['XP', { xp: 1501, xpIntoRank: 501 }],
    ['coins', { coins: 41 }],
    ['rank', { rank: { id: 3, name: 'Seeker' }, nextRankName: 'Fighter' }],
    ['season place', { seasonPlace: 2 }],
    ['no season place', { seasonPlace: null }],
    ['achievements', { achievements: ['First steps', 'Chatterbox'] }],
    ['name', { displayName: 'Alice B' }],
    ['avatar', { avatarKey: 'discord:avatars/1/def' }],
    ['no avatar', { avatarKey: null }],
    ['language', { locale: 'ru' }],
  ])('changes with %s', (_what, change) => {
    expect(cardVersion({ ...base, ...change })).not.toBe(cardVersion(base));
  });
});
