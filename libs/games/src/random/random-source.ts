import { randomInt } from 'node:crypto';

/** Where games get chance from; tests inject a seeded one. */
export abstract class RandomSource {
  /** A float in [0, 1). */
  abstract next(): number;

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
}

/** Unpredictable chance for production (players cannot guess the next secret). */
export class CryptoRandom extends RandomSource {
  next(): number {
    return randomInt(0, 2 ** 48 - 1) / 2 ** 48;
  }
}

/** Mulberry32: a small, fast, seedable generator for reproducible tests. */
export class SeededRandom extends RandomSource {
  private state: number;

  constructor(seed: number) {
    super();
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

/** Replays given values (unit tests that need an exact draw). */
export class ScriptedRandom extends RandomSource {
  private index = 0;

  constructor(private readonly values: number[]) {
    super();
  }

  next(): number {
    const value = this.values[this.index % this.values.length];
    this.index += 1;
    return value;
  }
}
