import { badRequest } from './bot-api-error';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Typed reads of one request's parameters. The real API takes parameters from the query string, a
 * urlencoded form or a JSON body, so a number may arrive as "42" and an object as a JSON string;
 * every reader accepts both forms, like the real server.
 */
export class Params {
  constructor(readonly raw: Readonly<Record<string, unknown>>) {}

  has(name: string): boolean {
    return this.raw[name] !== undefined && this.raw[name] !== null;
  }

  string(name: string): string | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw badRequest(`wrong parameter ${name} in request`);
  }

  /** Required string; `emptyError` is the real API's description when it is missing or empty. */
  requiredString(name: string, emptyError: string): string {
    const value = this.string(name);
    if (value === undefined || value === '') throw badRequest(emptyError);
    return value;
  }

  number(name: string): number | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null || value === '') return undefined;
    const parsed =
      typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
    if (!Number.isFinite(parsed)) throw badRequest(`wrong parameter ${name} in request`);
    return parsed;
  }

  integer(name: string): number | undefined {
    const value = this.number(name);
    if (value !== undefined && !Number.isInteger(value)) {
      throw badRequest(`wrong parameter ${name} in request`);
    }
    return value;
  }

  boolean(name: string): boolean | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 1 || value === '1') return true;
    if (value === 'false' || value === 0 || value === '0') return false;
    throw badRequest(`wrong parameter ${name} in request`);
  }

  /** An object or array parameter, decoded from JSON when it came as a string. */
  json(name: string, parseError: string): unknown {
    const value = this.raw[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      throw badRequest(parseError);
    }
  }

  stringArray(name: string): string[] | undefined {
    const value = this.json(name, `can't parse ${name} JSON array`);
    if (value === undefined) return undefined;
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
      throw badRequest(`wrong parameter ${name} in request`);
    }
    return value;
  }

  /** chat_id: an integer id or "@username" of a public chat. */
  chatId(name = 'chat_id'): number | string {
    const value = this.raw[name];
    if (value === undefined || value === null || value === '') throw badRequest(`${name} is empty`);
    if (typeof value === 'number' && Number.isInteger(value)) return value;
    if (typeof value === 'string') {
      if (/^-?\d+$/.test(value)) return Number(value);
      if (value.startsWith('@')) return value;
    }
    throw badRequest('chat not found');
  }
}
