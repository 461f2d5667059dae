import { createHmac, randomInt } from 'node:crypto';

/**
 * 30 characters a player cannot confuse when copying a code by hand between two apps: no 0/O,
 * 1/I/L, no U (reads as V in some fonts). 30^8 ≈ 6.6e11 codes, with 5 tries per 10 minutes.
 */
export const LINK_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ23456789';
export const LINK_CODE_LENGTH = 8;

const VALID = new RegExp(`^[${LINK_CODE_ALPHABET}]{${LINK_CODE_LENGTH}}$`);

/** A fresh code from a cryptographic source (randomInt is unbiased). */
export function generateLinkCode(): string {
  let code = '';
  for (let i = 0; i < LINK_CODE_LENGTH; i += 1) {
    code += LINK_CODE_ALPHABET[randomInt(LINK_CODE_ALPHABET.length)];
  }
  return code;
}

/**
 * What the player typed, as the canonical code: case-insensitive, spaces and dashes ignored
 * (codes are shown as `ABCD-EFGH`). Null when it cannot be a code at all.
 */
export function normalizeLinkCode(input: string): string | null {
  const code = input.replace(/[\s\-‐-―]/g, '').toUpperCase();
  return VALID.test(code) ? code : null;
}

/** Codes are stored only as a keyed hash: a leaked table does not reveal live codes. */
export function hashLinkCode(code: string, pepper: string): string {
  return createHmac('sha256', pepper).update(code).digest('hex');
}

/** `ABCDEFGH` -> `ABCD-EFGH`, easier to read aloud; redeem accepts both. */
export function formatLinkCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}
