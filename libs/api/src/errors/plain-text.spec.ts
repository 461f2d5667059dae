import { assertPlainText, isDatabaseEncodingError } from './plain-text';

describe('assertPlainText', () => {
  it('accepts printable text, tabs and line breaks, in any nesting', () => {
    expect(() => assertPlainText({ reason: 'a\tb\r\nc ✓', list: ['x', 1, null] })).not.toThrow();
  });

  it('refuses NUL and the other C0 controls, naming the field', () => {
    for (const bad of ['\u0000', '\u0001', '\u000b', '\u001f']) {
      expect(() => assertPlainText({ input: { reason: `a${bad}` } }, 'args')).toThrow(
        expect.objectContaining({ code: 'INVALID_TEXT', details: { field: 'args.input.reason' } }),
      );
    }
  });

  it('knows the Postgres encoding errors', () => {
    expect(isDatabaseEncodingError({ driverError: { code: '22021' } })).toBe(true);
    expect(isDatabaseEncodingError({ code: '22P05' })).toBe(true);
    expect(isDatabaseEncodingError({ code: '23505' })).toBe(false);
  });
});
