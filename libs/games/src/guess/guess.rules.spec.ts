import { SeededRandom } from '../random/random-source';
import { applyGuess, GUESS_MAX_TRIES, guessReward, isValidGuess } from './guess.rules';

describe('guess the number rules', () => {
  it('accepts only whole numbers from 1 to 100', () => {
    for (const ok of [1, 50, 100]) expect(isValidGuess(ok)).toBe(true);
    for (const bad of [0, 101, -3, 2.5, Number.NaN, '50', null, undefined]) {
      expect(isValidGuess(bad)).toBe(false);
    }
  });

  it('hints higher and lower, then wins with the reward for the tries used', () => {
    let state = { secret: 42, guesses: [] as number[] };
    const first = applyGuess(state, 50);
    expect(first).toMatchObject({ outcome: 'lower', triesUsed: 1, triesLeft: 6, rewardXp: 0 });
    state = first.state;
    const second = applyGuess(state, 30);
    expect(second).toMatchObject({ outcome: 'higher', triesUsed: 2, triesLeft: 5 });
    const won = applyGuess(second.state, 42);
    expect(won).toMatchObject({ outcome: 'won', triesUsed: 3, rewardXp: 60 });
  });

  it('loses after seven misses, with the last hint', () => {
    let state = { secret: 100, guesses: [] as number[] };
    let step = applyGuess(state, 1);
    for (let i = 2; i <= GUESS_MAX_TRIES; i++) {
      state = step.state;
      step = applyGuess(state, i);
    }
    expect(step).toMatchObject({ outcome: 'lost', hint: 'higher', triesLeft: 0, rewardXp: 0 });
  });

  it('pays less for more tries', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(guessReward)).toEqual([100, 80, 60, 50, 40, 30, 20, 0]);
  });

  it('halving always wins within seven tries', () => {
    const random = new SeededRandom(7);
    for (let game = 0; game < 200; game++) {
      let state = { secret: random.int(1, 100), guesses: [] as number[] };
      let low = 1;
      let high = 100;
      for (;;) {
        const guess = Math.floor((low + high) / 2);
        const step = applyGuess(state, guess);
        state = step.state;
        if (step.outcome === 'won') break;
        expect(step.outcome).not.toBe('lost');
        if (step.outcome === 'higher') low = guess + 1;
        else high = guess - 1;
      }
    }
  });
});
