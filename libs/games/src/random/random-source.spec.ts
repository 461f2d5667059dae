import { SeededRandom } from './random-source';

describe('SeededRandom', () => {
  it('is reproducible and stays in range', () => {
    const a = new SeededRandom(123);
    const b = new SeededRandom(123);
    for (let i = 0; i < 1000; i++) {
      const value = a.next();
      expect(value).toBe(b.next());
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
    }
  });

  it('draws every integer of 1-100 about equally', () => {
    const random = new SeededRandom(99);
    const counts = new Array<number>(101).fill(0);
    for (let i = 0; i < 100_000; i++) counts[random.int(1, 100)] += 1;
    expect(counts[0]).toBe(0);
    for (let n = 1; n <= 100; n++) expect(Math.abs(counts[n] - 1000)).toBeLessThan(150);
  });
});
