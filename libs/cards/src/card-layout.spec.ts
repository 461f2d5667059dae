import {
  captionOf,
  filledWidth,
  fitText,
  formatNumber,
  initialsOf,
  progressFraction,
  rankColour,
} from './card-layout';

describe('card layout', () => {
  it('progress is the share of the way to the next rank, clamped, full at the top', () => {
    expect(progressFraction(500, 1000)).toBe(0.5);
    expect(progressFraction(0, 1000)).toBe(0);
    expect(progressFraction(1200, 1000)).toBe(1);
    expect(progressFraction(-5, 1000)).toBe(0);
    expect(progressFraction(0, 0)).toBe(1);
  });

  it('a started bar is at least its cap wide, an empty one is empty', () => {
    expect(filledWidth(0, 400, 20)).toBe(0);
    expect(filledWidth(0.001, 400, 20)).toBe(20);
    expect(filledWidth(0.5, 400, 20)).toBe(200);
    expect(filledWidth(2, 400, 20)).toBe(400);
  });

  it('initials take the first letter of up to two words, in any script', () => {
    expect(initialsOf('Anna Petrova')).toBe('AP');
    expect(initialsOf('алиса')).toBe('А');
    expect(initialsOf('  bob_the builder ')).toBe('BT');
    expect(initialsOf('🔥🔥')).toBe('?');
    expect(initialsOf('')).toBe('?');
  });

  it('fitText keeps what fits and ends a cut text with an ellipsis', () => {
    const measure = (text: string) => Array.from(text).length * 10;
    expect(fitText('short', 100, measure)).toBe('short');
    expect(fitText('a very long display name', 100, measure)).toBe('a very lo…');
    expect(measure(fitText('Длинное имя игрока', 80, measure))).toBeLessThanOrEqual(80);
  });

  it('a caption within the limit is kept as is', () => {
    expect(captionOf('hello', 1024)).toEqual({ caption: 'hello', truncated: false });
    const exact = 'x'.repeat(1024);
    expect(captionOf(exact)).toEqual({ caption: exact, truncated: false });
  });

  it('a longer caption is cut at a line break before the limit, with an ellipsis', () => {
    const text = `${'line one\n'.repeat(150)}end`;
    const { caption, truncated } = captionOf(text, 1024);
    expect(truncated).toBe(true);
    expect(caption.length).toBeLessThanOrEqual(1024);
    expect(caption.endsWith('line one…')).toBe(true);
  });

  it('never splits a surrogate pair', () => {
    const text = `${'a'.repeat(1022)}😀😀😀`;
    const { caption } = captionOf(text, 1024);
    expect(caption.length).toBeLessThanOrEqual(1024);
    expect(caption).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  it('every rank has a colour; numbers follow the locale', () => {
    expect(rankColour(1)).toMatch(/^#[0-9a-f]{6}$/);
    expect(rankColour(20)).toMatch(/^#[0-9a-f]{6}$/);
    expect(rankColour(99)).toBe(rankColour(20));
    expect(formatNumber(12345, 'en')).toBe('12,345');
    expect(formatNumber(12345, 'ru').replace(/\s/g, ' ')).toBe('12 345');
  });
});
