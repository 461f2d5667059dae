/**
 * The outbox lag as `sync_completion_counts` keeps it (migration 1764900000000, `sync_lag_bin`):
 * bin b holds lags in [2^(b/8) - 1, 2^((b+1)/8) - 1) ms, 8 bins per doubling (about 9% wide);
 * bin -1 counts rows written completed, which have no lag.
 */
export const NO_LAG_BIN = -1;
const BINS_PER_DOUBLING = 8;

export function lagBinStartMs(bin: number): number {
  return 2 ** (bin / BINS_PER_DOUBLING) - 1;
}

/**
 * The 95th percentile of the lags in `counts` (bin -> events), null when none has a lag: the
 * rank 0.95 x events is found by the bins' running sum and placed inside its bin as if the bin's
 * events were spread evenly over it, so the answer is within the bin of the exact percentile.
 */
export function lagP95(counts: ReadonlyMap<number, number>): number | null {
  const bins = [...counts]
    .filter(([bin, n]) => bin !== NO_LAG_BIN && n > 0)
    .sort((a, b) => a[0] - b[0]);
  const total = bins.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return null;
  const rank = 0.95 * total;
  let before = 0;
  for (const [bin, n] of bins) {
    if (before + n >= rank) {
      const start = lagBinStartMs(bin);
      return start + ((rank - before) / n) * (lagBinStartMs(bin + 1) - start);
    }
    before += n;
  }
  // Not reached: the last bin's running sum is the total, which is at least the rank.
  const [lastBin] = bins[bins.length - 1];
  return lagBinStartMs(lastBin + 1);
}
