import {
  formatLinkCode,
  generateLinkCode,
  hashLinkCode,
  LINK_CODE_ALPHABET,
  normalizeLinkCode,
} from './link-code';

describe('link codes', () => {
  it('uses an alphabet without look-alike characters', () => {
    for (const ambiguous of ['0', 'O', '1', 'I', 'L']) {
      expect(LINK_CODE_ALPHABET).not.toContain(ambiguous);
    }
    expect(new Set(LINK_CODE_ALPHABET).size).toBe(LINK_CODE_ALPHABET.length);
  });

  it('generates 8 characters from the alphabet, different each time', () => {
    const codes = Array.from({ length: 500 }, generateLinkCode);
    for (const code of codes) {
      expect(code).toMatch(new RegExp(`^[${LINK_CODE_ALPHABET}]{8}$`));
    }
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('normalizes case, spaces and dashes', () => {
    expect(normalizeLinkCode('abcd-efgh')).toBe('ABCDEFGH');
    expect(normalizeLinkCode(' AbCd  eFgH ')).toBe('ABCDEFGH');
    expect(normalizeLinkCode(formatLinkCode('ABCDEFGH'))).toBe('ABCDEFGH');
  });

  it('rejects what cannot be a code', () => {
    expect(normalizeLinkCode('')).toBeNull();
    expect(normalizeLinkCode('ABCDEFG')).toBeNull();
    expect(normalizeLinkCode('ABCDEFGHJ')).toBeNull();
    expect(normalizeLinkCode('ABCDEFG0')).toBeNull();
    expect(normalizeLinkCode('ABCD_EFGH')).toBeNull();
  });

  it('hashes with the pepper', () => {
    expect(hashLinkCode('ABCDEFGH', 'pepper-a')).toBe(hashLinkCode('ABCDEFGH', 'pepper-a'));
    expect(hashLinkCode('ABCDEFGH', 'pepper-a')).not.toBe(hashLinkCode('ABCDEFGH', 'pepper-b'));
    expect(hashLinkCode('ABCDEFGH', 'p')).toMatch(/^[0-9a-f]{64}$/);
  });
});
