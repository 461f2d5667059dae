import { createHmac } from 'node:crypto';
import { secretsEqual } from './constant-time';

/** A player's session: who they are on Telegram, and until when (seconds since epoch). */
export interface SessionClaims {
  /** Telegram user id: stable across links (the Telegram side always survives a merge). */
  tg: string;
  iat: number;
  exp: number;
}

const VERSION = 'v1';

/**
 * A compact signed token `v1.<claims>.<signature>` (base64url JSON, HMAC-SHA256 with
 * SESSION_SECRET). Stateless: rotating SESSION_SECRET logs everyone out.
 */
export function signSession(claims: SessionClaims, secret: string): string {
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${VERSION}.${body}.${signature(body, secret)}`;
}

/** The claims of a token we signed and that has not expired, or null. */
export function verifySession(token: string, secret: string, nowMs: number): SessionClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== VERSION) return null;
  const [, body, sig] = parts;
  if (!secretsEqual(sig, signature(body, secret))) return null;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!isClaims(claims)) return null;
  if (claims.exp * 1000 <= nowMs) return null;
  return claims;
}

function signature(body: string, secret: string): string {
  return createHmac('sha256', secret).update(`${VERSION}.${body}`).digest('base64url');
}

function isClaims(value: unknown): value is SessionClaims {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.tg === 'string' &&
    /^\d{1,20}$/.test(record.tg) &&
    typeof record.iat === 'number' &&
    typeof record.exp === 'number'
  );
}
