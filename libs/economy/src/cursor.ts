import { EconomyError } from './economy.error';

/** What a cursor field holds: a count or id (0..2^53-1), or a Postgres timestamp's text. */
export type CursorFieldKind = 'count' | 'time';

const TIME = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)?$/;

/** Opaque keyset cursors: base64url JSON of the last row's sort key. */
export function encodeCursor(key: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/**
 * The sort key of a cursor this service issued. Every field is checked against its kind (a
 * `count` unless `kinds` says otherwise), so a forged cursor (not base64 JSON, a field missing,
 * non-numeric, negative or beyond 2^53-1, a malformed time) is INVALID_CURSOR, never a database
 * error or a negative place.
 */
export function decodeCursor<K extends string>(
  cursor: string,
  fields: readonly K[],
  kinds: Partial<Record<K, CursorFieldKind>> = {},
): Record<K, string> {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object');
    const record = parsed as Record<string, unknown>;
    const out = {} as Record<K, string>;
    for (const field of fields) {
      const value = record[field];
      if (typeof value !== 'string' && typeof value !== 'number') throw new Error(field);
      const text = String(value);
      if (!fits(text, kinds[field] ?? 'count')) throw new Error(field);
      out[field] = text;
    }
    return out;
  } catch {
    throw new EconomyError('INVALID_CURSOR', 'The cursor is not one this service issued');
  }
}

function fits(text: string, kind: CursorFieldKind): boolean {
  switch (kind) {
    case 'count':
      return /^\d{1,16}$/.test(text) && Number.isSafeInteger(Number(text));
    case 'time':
      return TIME.test(text);
  }
}

export function pageSize(first: number, max = 100): number {
  if (!Number.isSafeInteger(first) || first < 1) return 10;
  return Math.min(first, max);
}
