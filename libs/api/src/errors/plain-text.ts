import { ApiError } from './api.error';

/** The first NUL or C0 control (tab, line feed and carriage return are text), or -1. */
function controlCharacterAt(text: string): number {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) return i;
  }
  return -1;
}

/**
 * Refuses a request value holding a control character anywhere (nested objects and lists
 * included) with 400 INVALID_TEXT naming where: Postgres text cannot hold NUL, and the others
 * have no business in a reason, a code or an id.
 */
export function assertPlainText(value: unknown, path = 'input'): void {
  if (typeof value === 'string') {
    const at = controlCharacterAt(value);
    if (at >= 0) {
      const code = value.charCodeAt(at).toString(16).padStart(4, '0');
      throw new ApiError(
        'INVALID_TEXT',
        `${path} contains the control character U+${code.toUpperCase()}; only printable text, tabs and line breaks are accepted`,
        { field: path },
      );
    }
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => assertPlainText(item, `${path}[${index}]`));
    return;
  }
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    for (const [key, item] of Object.entries(value)) assertPlainText(item, `${path}.${key}`);
  }
}

/** Postgres refusing text it cannot store (NUL, invalid bytes for the encoding). */
export function isDatabaseEncodingError(error: unknown): boolean {
  const code =
    (error as { driverError?: { code?: unknown }; code?: unknown } | null)?.driverError?.code ??
    (error as { code?: unknown } | null)?.code;
  // 22021 character_not_in_repertoire, 22P05 untranslatable_character.
  return code === '22021' || code === '22P05';
}

export const DATABASE_TEXT_ERROR = () =>
  new ApiError('INVALID_TEXT', 'The text contains characters that cannot be stored', {});
