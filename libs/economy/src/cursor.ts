import { EconomyError } from './economy.error';

/** Opaque keyset cursors: base64url JSON of the last row's sort key. */
export function encodeCursor(key: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor<K extends string>(
  cursor: string,
  fields: readonly K[],
): Record<K, string> {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object');
    const record = parsed as Record<string, unknown>;
    const out = {} as Record<K, string>;
    for (const field of fields) {
      const value = record[field];
      if (typeof value !== 'string' && typeof value !== 'number') throw new Error(field);
      out[field] = String(value);
    }
    return out;
  } catch {
    throw new EconomyError('INVALID_CURSOR', 'The cursor is not one this service issued');
  }
}

export function pageSize(first: number, max = 100): number {
  if (!Number.isSafeInteger(first) || first < 1) return 10;
  return Math.min(first, max);
}
