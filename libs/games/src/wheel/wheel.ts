/**
 * The daily wheel: one spin per calendar day in the community zone. Weights are percents and
 * add up to 100, so `weight` is the documented chance of each prize.
 */
export interface WheelPrize {
  id: string;
  kind: 'xp' | 'coins';
  amount: number;
  /** Chance in percent. */
  weight: number;
}

export const WHEEL_PRIZES: readonly WheelPrize[] = [
  { id: 'xp_10', kind: 'xp', amount: 10, weight: 30 },
  { id: 'xp_25', kind: 'xp', amount: 25, weight: 25 },
  { id: 'xp_50', kind: 'xp', amount: 50, weight: 15 },
  { id: 'xp_100', kind: 'xp', amount: 100, weight: 5 },
  { id: 'coins_10', kind: 'coins', amount: 10, weight: 15 },
  { id: 'coins_25', kind: 'coins', amount: 25, weight: 7 },
  { id: 'coins_100', kind: 'coins', amount: 100, weight: 3 },
];

/** Picks a prize for a draw `r` in [0, 1): walks the cumulative weights. Pure. */
export function pickPrize(prizes: readonly WheelPrize[], r: number): WheelPrize {
  const total = prizes.reduce((sum, prize) => sum + prize.weight, 0);
  let point = r * total;
  for (const prize of prizes) {
    if (point < prize.weight) return prize;
    point -= prize.weight;
  }
  // r is below 1, so only rounding can land here: the last prize.
  return prizes[prizes.length - 1];
}
