import bankData from './quiz-bank.json';

/**
 * The quiz bank is data (`quiz-bank.json`, edited without touching code): every question has
 * Russian and English text, the same options in the same order in both languages, and the index
 * of the correct option. Sessions store only the question id, so texts can be corrected without
 * touching running games. The file is checked when this module loads, so a malformed bank stops
 * the process at boot with the question and field at fault, never mid-game.
 */
export interface QuizText {
  text: string;
  options: string[];
}

export interface QuizQuestion {
  id: string;
  ru: QuizText;
  en: QuizText;
  correct: number;
}

/** A malformed quiz bank; the message names the question (index and id) and the field. */
export class QuizBankError extends Error {
  constructor(message: string) {
    super(`Quiz bank (libs/games/src/quiz/quiz-bank.json): ${message}`);
    this.name = 'QuizBankError';
  }
}

const LANGUAGES = ['ru', 'en'] as const;
/** Ids are stored in game sessions: short, stable, machine-friendly. */
const ID_PATTERN = /^[a-z0-9_]{1,64}$/;

/** Checks raw bank data and returns it typed; throws `QuizBankError` at the first fault. */
export function parseQuizBank(data: unknown): QuizQuestion[] {
  if (!Array.isArray(data) || data.length === 0) {
    throw new QuizBankError('must be a non-empty array of questions');
  }
  const seen = new Map<string, number>();
  return data.map((raw: unknown, index) => {
    const question = parseQuestion(raw, index);
    const first = seen.get(question.id);
    if (first !== undefined) {
      throw new QuizBankError(
        `question ${index} (${question.id}): id is a duplicate of question ${first}`,
      );
    }
    seen.set(question.id, index);
    return question;
  });
}

function parseQuestion(raw: unknown, index: number): QuizQuestion {
  if (!isRecord(raw)) throw new QuizBankError(`question ${index}: must be an object`);
  const id = raw.id;
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
    throw new QuizBankError(
      `question ${index}: id must be 1-64 characters of a-z, 0-9 and _ (got ${JSON.stringify(id)})`,
    );
  }
  const fault = (field: string, rule: string) =>
    new QuizBankError(`question ${index} (${id}): ${field} ${rule}`);
  const [ru, en] = LANGUAGES.map((language): QuizText => {
    const text = raw[language];
    if (!isRecord(text)) throw fault(language, 'is missing');
    if (typeof text.text !== 'string' || text.text.trim() === '') {
      throw fault(`${language}.text`, 'must be a non-empty string');
    }
    const options = text.options;
    if (!Array.isArray(options) || options.length < 2) {
      throw fault(`${language}.options`, 'must be an array of at least 2 options');
    }
    options.forEach((option: unknown, i) => {
      if (typeof option !== 'string' || option.trim() === '') {
        throw fault(`${language}.options[${i}]`, 'must be a non-empty string');
      }
      if (options.indexOf(option) !== i) {
        throw fault(`${language}.options[${i}]`, `repeats option ${options.indexOf(option)}`);
      }
    });
    return { text: text.text, options: options as string[] };
  });
  if (ru.options.length !== en.options.length) {
    throw fault(
      'en.options',
      `has ${en.options.length} options, ru.options has ${ru.options.length}: they must match`,
    );
  }
  const correct = raw.correct;
  if (typeof correct !== 'number' || !Number.isInteger(correct)) {
    throw fault('correct', 'must be an integer option index');
  }
  if (correct < 0 || correct >= en.options.length) {
    throw fault('correct', `is ${correct}, out of range 0..${en.options.length - 1}`);
  }
  return { id, ru, en, correct };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const QUIZ_BANK: readonly QuizQuestion[] = parseQuizBank(bankData);

export function quizQuestion(id: string): QuizQuestion | undefined {
  return QUIZ_BANK.find((question) => question.id === id);
}
