import { randomInt } from 'node:crypto';

/**
 * Where message XP amounts come from. Injectable so tests can pin the amount; production
 * draws uniformly in [min, max].
 */
export abstract class XpRandom {
  abstract between(min: number, max: number): number;
}

export class UniformXpRandom extends XpRandom {
  between(min: number, max: number): number {
    return randomInt(min, max + 1);
  }
}
