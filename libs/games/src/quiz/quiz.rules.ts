import type { XpRuleMetadata } from '@ttfd/economy';
import { RandomSource } from '../random/random-source';
import { QUIZ_BANK, QuizQuestion, QuizText } from './quiz-bank';

/** XP for a correct answer. */
export const QUIZ_REWARD_XP = 30;
/** A player does not see a question again within this many of their last quizzes. */
export const QUIZ_RECENT_WINDOW = 20;

export interface QuizState {
  questionId: string;
  /** order[i] = the bank index of the option shown at position i (options are shuffled). */
  order: number[];
  answer?: number;
  /** The XP rule pinned at the start (the multiplied amount the player was shown). */
  xpRule?: XpRuleMetadata;
}

export interface PresentedQuestion {
  id: string;
  ru: QuizText;
  en: QuizText;
}

/** A random question not among the recent ones (falls back to the whole bank). */
export function pickQuestion(
  random: RandomSource,
  recentIds: ReadonlySet<string>,
  bank: readonly QuizQuestion[] = QUIZ_BANK,
): QuizQuestion {
  const fresh = bank.filter((question) => !recentIds.has(question.id));
  const pool = fresh.length > 0 ? fresh : bank;
  return pool[Math.min(pool.length - 1, Math.floor(random.next() * pool.length))];
}

/** Fisher-Yates shuffle of option positions, so the right answer is not always in one place. */
export function shuffledOrder(random: RandomSource, size: number): number[] {
  const order = Array.from({ length: size }, (_, i) => i);
  for (let i = size - 1; i > 0; i--) {
    const j = random.int(0, i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

export function present(question: QuizQuestion, order: number[]): PresentedQuestion {
  const reorder = (text: QuizText): QuizText => ({
    text: text.text,
    options: order.map((index) => text.options[index]),
  });
  return { id: question.id, ru: reorder(question.ru), en: reorder(question.en) };
}

/** The position of the correct option as shown. */
export function correctPosition(question: QuizQuestion, order: number[]): number {
  return order.indexOf(question.correct);
}
