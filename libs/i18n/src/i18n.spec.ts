import { en, ru } from './catalogue';
import { resolveLocale, translate } from './i18n';

describe('i18n', () => {
  it('has every Russian key in English and no extra ones', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(ru).sort());
  });

  it('uses Russian plural forms', () => {
    expect(translate('ru', 'common.coins', { count: 1 })).toBe('1 монета');
    expect(translate('ru', 'common.coins', { count: 3 })).toBe('3 монеты');
    expect(translate('ru', 'common.coins', { count: 5 })).toBe('5 монет');
    expect(translate('ru', 'common.coins', { count: 21 })).toBe('21 монета');
    expect(translate('en', 'common.coins', { count: 1 })).toBe('1 coin');
    expect(translate('en', 'common.coins', { count: 2 })).toBe('2 coins');
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('en', 'common.tryLater', { minutes: 7 })).toBe(
      'Too many attempts. Try again in 7 min.',
    );
    expect(translate('en', 'common.tryLater')).toContain('{minutes}');
  });

  it('resolves platform language tags, Russian by default', () => {
    expect(resolveLocale(undefined)).toBe('ru');
    expect(resolveLocale('ru')).toBe('ru');
    expect(resolveLocale('uk')).toBe('ru');
    expect(resolveLocale('en-US')).toBe('en');
    expect(resolveLocale('en-GB')).toBe('en');
    expect(resolveLocale('de')).toBe('en');
  });
});
