import { SeededRandom } from '../random/random-source';
import { pickPrize, WHEEL_PRIZES } from './wheel';

describe('wheel of prizes', () => {
  it('documents odds that add up to 100 percent, with positive amounts', () => {
    expect(WHEEL_PRIZES.reduce((sum, prize) => sum + prize.weight, 0)).toBe(100);
    for (const prize of WHEEL_PRIZES) expect(prize.amount).toBeGreaterThan(0);
  });

  it('maps the draw onto cumulative weights, edges included', () => {
    expect(pickPrize(WHEEL_PRIZES, 0).id).toBe('xp_10');
    expect(pickPrize(WHEEL_PRIZES, 0.2999).id).toBe('xp_10');
    expect(pickPrize(WHEEL_PRIZES, 0.3).id).toBe('xp_25');
    expect(pickPrize(WHEEL_PRIZES, 0.97).id).toBe('coins_100');
    expect(pickPrize(WHEEL_PRIZES, 0.999999).id).toBe('coins_100');
  });

  it('a seeded run of 100,000 spins lands within 1 percentage point of every documented odd', () => {
    const random = new SeededRandom(20260315);
    const spins = 100_000;
    const counts = new Map<string, number>();
    for (let i = 0; i < spins; i++) {
      const prize = pickPrize(WHEEL_PRIZES, random.next());
      counts.set(prize.id, (counts.get(prize.id) ?? 0) + 1);
    }
    for (const prize of WHEEL_PRIZES) {
      const observed = (counts.get(prize.id) ?? 0) / spins;
      expect(Math.abs(observed - prize.weight / 100)).toBeLessThan(0.01);
    }
  });
});
