import { parseQuizBank, QUIZ_BANK, QuizBankError, quizQuestion } from './quiz-bank';

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

describe('the quiz bank check at boot', () => {
  const good = () => ({
    id: 'first',
    ru: { text: 'Вопрос?', options: ['Да', 'Нет'] },
    en: { text: 'Question?', options: ['Yes', 'No'] },
    correct: 1,
  });
  interface DraftText {
    text: unknown;
    options: unknown[];
  }
  interface Draft {
    id: unknown;
    ru: DraftText;
    en: DraftText;
    correct: unknown;
  }
  /** The second question of a two-question bank, changed by `edit`. */
  const withSecond = (edit: (q: Draft) => void): unknown[] => {
    const second: Draft = { ...good(), id: 'second' };
    second.ru = { ...second.ru, options: [...second.ru.options] };
    second.en = { ...second.en, options: [...second.en.options] };
    edit(second);
    return [good(), second];
  };

  it('accepts a well-formed bank and returns it unchanged', () => {
    expect(parseQuizBank([good()])).toEqual([good()]);
  });

  it.each<[string, unknown, RegExp]>([
    ['not an array', { questions: [] }, /must be a non-empty array/],
    ['an empty array', [], /must be a non-empty array/],
    ['a question that is not an object', [good(), 'what?'], /question 1: must be an object/],
    ['a missing id', withSecond((q) => Reflect.deleteProperty(q, 'id')), /question 1: id must be/],
    ['an id with spaces', withSecond((q) => (q.id = 'two words')), /question 1: id must be/],
    [
      'a duplicate id',
      withSecond((q) => (q.id = 'first')),
      /question 1 \(first\): id is a duplicate of question 0/,
    ],
    [
      'a missing language',
      withSecond((q) => Reflect.deleteProperty(q, 'en')),
      /question 1 \(second\): en is missing/,
    ],
    [
      'a missing text',
      withSecond((q) => Reflect.deleteProperty(q.ru, 'text')),
      /question 1 \(second\): ru\.text must be a non-empty string/,
    ],
    [
      'a blank text',
      withSecond((q) => (q.en.text = '  ')),
      /question 1 \(second\): en\.text must be a non-empty string/,
    ],
    [
      'missing options',
      withSecond((q) => Reflect.deleteProperty(q.en, 'options')),
      /question 1 \(second\): en\.options must be an array of at least 2/,
    ],
    [
      'a single option',
      withSecond((q) => (q.ru.options = ['Да'])),
      /question 1 \(second\): ru\.options must be an array of at least 2/,
    ],
    [
      'an option that is not a string',
      withSecond((q) => (q.en.options[1] = 2)),
      /question 1 \(second\): en\.options\[1\] must be a non-empty string/,
    ],
    [
      'a repeated option',
      withSecond((q) => (q.ru.options = ['Да', 'Да'])),
      /question 1 \(second\): ru\.options\[1\] repeats option 0/,
    ],
    [
      'option counts that differ between languages',
      withSecond((q) => q.en.options.push('Maybe')),
      /question 1 \(second\): en\.options has 3 options, ru\.options has 2/,
    ],
    [
      'a missing answer index',
      withSecond((q) => Reflect.deleteProperty(q, 'correct')),
      /question 1 \(second\): correct must be an integer/,
    ],
    [
      'a fractional answer index',
      withSecond((q) => (q.correct = 0.5)),
      /question 1 \(second\): correct must be an integer/,
    ],
    [
      'an answer index past the options',
      withSecond((q) => (q.correct = 2)),
      /question 1 \(second\): correct is 2, out of range 0\.\.1/,
    ],
    [
      'a negative answer index',
      withSecond((q) => (q.correct = -1)),
      /question 1 \(second\): correct is -1, out of range/,
    ],
  ])('refuses %s, naming the question and the field', (_case, data, message) => {
    const refusal = (() => {
      try {
        parseQuizBank(data);
      } catch (error) {
        return error;
      }
      return null;
    })();
    expect(refusal).toBeInstanceOf(QuizBankError);
    expect((refusal as Error).message).toMatch(
      /^Quiz bank \(libs\/games\/src\/quiz\/quiz-bank\.json\): /,
    );
    expect((refusal as Error).message).toMatch(message);
  });
});
