/**
 * Route patterns like `/guilds/:guildId/members/:userId` (`*` = any one segment), used both by
 * the REST router and by tests that match calls or inject failures.
 */
import type { RouteMatcher } from './types';

export function matchPattern(pattern: string, path: string): Record<string, string> | null {
  const want = split(pattern);
  const got = split(path);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i += 1) {
    const w = want[i]!;
    const g = got[i]!;
    if (w === '*') continue;
    if (w.startsWith(':')) params[w.slice(1)] = decodeURIComponent(g);
    // Literal segments compare decoded, like Discord's: `/users/%40me` is `/users/@me`.
    else if (w !== safeDecode(g)) return null;
  }
  return params;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Strips the version prefix so tests may write either `/guilds/…` or `/api/v10/guilds/…`. */
export function normalisePath(path: string): string {
  const withoutQuery = path.split('?')[0] ?? '';
  return withoutQuery.replace(/^\/api\/v\d+(?=\/)/, '');
}

export function matchesRoute(matcher: RouteMatcher, method: string, path: string): boolean {
  if (typeof matcher === 'function') return matcher({ method, path });
  if (typeof matcher === 'string') {
    const [first, second] = matcher.trim().split(/\s+/, 2);
    const [wantMethod, pattern] = second === undefined ? [undefined, first ?? ''] : [first, second];
    return sameMethod(wantMethod, method) && matchPattern(normalisePath(pattern), path) !== null;
  }
  if (!sameMethod(matcher.method, method)) return false;
  return typeof matcher.path === 'string'
    ? matchPattern(normalisePath(matcher.path), path) !== null
    : matcher.path.test(path);
}

function sameMethod(want: string | undefined, got: string): boolean {
  return want === undefined || want.toUpperCase() === got.toUpperCase();
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}
