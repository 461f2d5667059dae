import { rewardText } from './format';

describe('format', () => {
  it('names the parts of a reward that are not zero', () => {
    expect(rewardText('en', 100, 50)).toBe('100 XP and 50 coins');
    expect(rewardText('ru', 30)).toBe('30 XP');
    expect(rewardText('ru', 0, 21)).toBe('21 монета');
  });
});
