import { lagBinStartMs, lagP95, NO_LAG_BIN } from './lag-histogram';

/** The bin `sync_lag_bin` gives a lag (the migration's formula, in JavaScript). */
function binOf(lagMs: number): number {
  return Math.floor((8 * Math.log(1 + lagMs)) / Math.LN2);
}

function histogram(lags: number[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const lag of lags) counts.set(binOf(lag), (counts.get(binOf(lag)) ?? 0) + 1);
  return counts;
}

describe('lag histogram', () => {
  it('puts every lag inside the bin its edges describe', () => {
    for (const lag of [0, 0.5, 1, 7, 99, 100, 101, 300, 999, 1_000, 60_000, 3_600_000]) {
      const bin = binOf(lag);
      expect(lagBinStartMs(bin)).toBeLessThanOrEqual(lag + 1e-9);
      expect(lagBinStartMs(bin + 1)).toBeGreaterThan(lag - 1e-9);
    }
  });

  it('answers null without a lag, and ignores rows written completed', () => {
    expect(lagP95(new Map())).toBeNull();
    expect(lagP95(new Map([[NO_LAG_BIN, 5]]))).toBeNull();
    expect(
      lagP95(
        new Map([
          [NO_LAG_BIN, 500],
          [binOf(300), 1],
        ]),
      ),
    ).toBeCloseTo(
      lagBinStartMs(binOf(300)) +
        0.95 * (lagBinStartMs(binOf(300) + 1) - lagBinStartMs(binOf(300))),
    );
  });

  it('lands in the bins of the lags around the exact 95th percentile', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    for (let round = 0; round < 500; round += 1) {
      const size = 1 + Math.floor(random() * 400);
      const scale = 10 ** (1 + random() * 4);
      const lags = Array.from({ length: size }, () => Math.round(random() * random() * scale));
      const sorted = [...lags].sort((a, b) => a - b);
      // percentile_cont(0.95) lies between these two; the histogram's rank 0.95 x size too.
      const below = sorted[Math.floor(0.95 * (size - 1))];
      const above = sorted[Math.min(size - 1, Math.ceil(0.95 * size))];
      const estimate = lagP95(histogram(lags))!;
      expect(estimate).toBeGreaterThanOrEqual(lagBinStartMs(binOf(below)) - 1e-9);
      expect(estimate).toBeLessThanOrEqual(lagBinStartMs(binOf(above) + 1) + 1e-9);
    }
  });

  it('is within 9% of a lag that every event shares', () => {
    for (const lag of [5, 120, 300, 4_000, 90_000]) {
      const estimate = lagP95(histogram(Array.from({ length: 50 }, () => lag)))!;
      expect(Math.abs(estimate - lag) / lag).toBeLessThan(0.09);
    }
  });
});
