import { QUIZ_BANK, quizQuestion } from './quiz-bank';

describe('quiz bank', () => {
  it('has at least 40 questions with unique ids', () => {
    expect(QUIZ_BANK.length).toBeGreaterThanOrEqual(40);
    expect(new Set(QUIZ_BANK.map((question) => question.id)).size).toBe(QUIZ_BANK.length);
  });

  it.each(QUIZ_BANK.map((question) => [question.id, question] as const))(
    '%s is complete in Russian and English, with a valid correct index',
    (_id, question) => {
      for (const text of [question.ru, question.en]) {
        expect(text.text.trim().length).toBeGreaterThan(5);
        expect(text.options.length).toBeGreaterThanOrEqual(2);
        expect(new Set(text.options).size).toBe(text.options.length);
        for (const option of text.options) expect(option.trim()).not.toBe('');
      }
      expect(question.ru.options.length).toBe(question.en.options.length);
      expect(Number.isInteger(question.correct)).toBe(true);
      expect(question.correct).toBeGreaterThanOrEqual(0);
      expect(question.correct).toBeLessThan(question.en.options.length);
      expect(/[а-яё]/i.test(question.ru.text)).toBe(true);
      expect(quizQuestion(question.id)).toBe(question);
    },
  );
});
