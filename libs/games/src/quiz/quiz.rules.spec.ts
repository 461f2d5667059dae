import { ScriptedRandom, SeededRandom } from '../random/random-source';
import { QUIZ_BANK } from './quiz-bank';
import { correctPosition, pickQuestion, present, shuffledOrder } from './quiz.rules';

describe('quiz rules', () => {
  it('shuffles options and keeps track of the right one in both languages', () => {
    const random = new SeededRandom(5);
    for (const question of QUIZ_BANK) {
      const order = shuffledOrder(random, question.en.options.length);
      expect([...order].sort()).toEqual(question.en.options.map((_, i) => i));
      const shown = present(question, order);
      const position = correctPosition(question, order);
      expect(shown.en.options[position]).toBe(question.en.options[question.correct]);
      expect(shown.ru.options[position]).toBe(question.ru.options[question.correct]);
    }
  });

  it('puts the right answer in every position about equally often', () => {
    const random = new SeededRandom(11);
    const positions = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i++) {
      const question = QUIZ_BANK[i % QUIZ_BANK.length];
      positions[correctPosition(question, shuffledOrder(random, 4))] += 1;
    }
    for (const count of positions) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });

  it('avoids recently asked questions while any are left', () => {
    const recent = new Set(QUIZ_BANK.slice(1).map((question) => question.id));
    expect(pickQuestion(new ScriptedRandom([0.99]), recent).id).toBe(QUIZ_BANK[0].id);
    const all = new Set(QUIZ_BANK.map((question) => question.id));
    expect(all.has(pickQuestion(new ScriptedRandom([0.5]), all).id)).toBe(true);
  });
});
