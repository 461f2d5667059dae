import { en, MessageKey, ru } from './catalogue';
import { Message } from './message';

export type Locale = 'ru' | 'en';
export const DEFAULT_LOCALE: Locale = 'ru';

const catalogues: Record<Locale, Record<MessageKey, Message>> = { ru, en };
const RUSSIAN_READERS = new Set(['ru', 'uk', 'be', 'kk', 'uz', 'ky', 'tg', 'hy', 'az', 'ka']);

/**
 * The locale for a platform's language tag (Telegram `language_code`, Discord `locale`).
 * Unknown: Russian, the community's language. A known non-Russian-reading language: English.
 */
export function resolveLocale(languageTag: string | null | undefined): Locale {
  if (!languageTag) return DEFAULT_LOCALE;
  const language = languageTag.toLowerCase().split(/[-_]/)[0];
  if (language === 'en') return 'en';
  return RUSSIAN_READERS.has(language) ? 'ru' : 'en';
}

export type Params = Record<string, string | number | bigint>;

/** The message `key` in `locale` with its {placeholders} filled in. */
export function translate(locale: Locale, key: MessageKey, params: Params = {}): string {
  const message = catalogues[locale][key] ?? catalogues[DEFAULT_LOCALE][key];
  const template =
    typeof message === 'string' ? message : pluralForm(locale, message, params.count);
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

function pluralForm(
  locale: Locale,
  forms: Exclude<Message, string>,
  count: Params[string] | undefined,
): string {
  const category = new Intl.PluralRules(locale).select(Number(count ?? 0));
  switch (category) {
    case 'one':
      return forms.one;
    case 'few':
      return forms.few ?? forms.other;
    case 'many':
      return forms.many ?? forms.other;
    case 'zero':
    case 'two':
    case 'other':
      return forms.other;
  }
}

/** A translator bound to one locale, for a conversation. */
export function translator(locale: Locale): (key: MessageKey, params?: Params) => string {
  return (key, params) => translate(locale, key, params);
}
