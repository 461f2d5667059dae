import type { XpRuleMetadata } from '@ttfd/economy';
/**
 * Guess the number: a secret in 1-100, 7 tries, a "higher" / "lower" hint after each miss.
 * Seven tries always suffice with halving (2^7 = 128 > 100), so the reward pays for luck and
 * skill by the number of tries used.
 */
export const GUESS_MIN = 1;
export const GUESS_MAX = 100;
export const GUESS_MAX_TRIES = 7;

/** XP paid on a win, by tries used: 1 try = 100 XP ... 7 tries = 20 XP. */
export const GUESS_REWARDS: readonly number[] = [100, 80, 60, 50, 40, 30, 20];

export interface GuessState {
  secret: number;
  guesses: number[];
  /** The XP rule pinned at the start (the multiplied amounts the player was shown). */
  xpRule?: XpRuleMetadata;
}

export type GuessOutcome = 'higher' | 'lower' | 'won' | 'lost';

export interface GuessStep {
  outcome: GuessOutcome;
  /** On a loss, where the secret was relative to the last guess. */
  hint: 'higher' | 'lower' | null;
  state: GuessState;
  triesUsed: number;
  triesLeft: number;
  rewardXp: number;
}

export function isValidGuess(value: unknown): value is number {
  return (
    typeof value === 'number' && Number.isInteger(value) && value >= GUESS_MIN && value <= GUESS_MAX
  );
}

export function guessReward(triesUsed: number): number {
  return GUESS_REWARDS[triesUsed - 1] ?? 0;
}

/** One move on a running game (the caller checked the game is active and the guess valid). */
export function applyGuess(state: GuessState, value: number): GuessStep {
  const guesses = [...state.guesses, value];
  const triesUsed = guesses.length;
  const triesLeft = Math.max(0, GUESS_MAX_TRIES - triesUsed);
  const next = { ...state, guesses };
  if (value === state.secret) {
    return {
      outcome: 'won',
      hint: null,
      state: next,
      triesUsed,
      triesLeft,
      rewardXp: guessReward(triesUsed),
    };
  }
  const hint = state.secret > value ? 'higher' : 'lower';
  if (triesLeft === 0) {
    return { outcome: 'lost', hint, state: next, triesUsed, triesLeft, rewardXp: 0 };
  }
  return { outcome: hint, hint, state: next, triesUsed, triesLeft, rewardXp: 0 };
}
