/**
 * Discord's rate limits with the headers Discord sends on every answer. @discordjs/rest keeps
 * one queue per bucket and pauses it when `x-ratelimit-remaining` reaches 0, so the headers
 * must be coherent; a request that arrives anyway (another process sharing the token) gets a
 * 429 like on Discord.
 *
 * Three kinds of limit, checked in this order:
 * - global: requests per second per bot token, over every route that needs the token
 *   (interaction callbacks and interaction webhooks are exempt, as on Discord). Discord's
 *   figure is 50/s; a 429 carries `x-ratelimit-global: true` and `x-ratelimit-scope: global`.
 * - the member-role bucket: PUT and DELETE /guilds/{g}/members/{u}/roles/{r} share one bucket
 *   per guild on Discord (one `x-ratelimit-bucket` for both). Its size is not documented;
 *   answers seen in the wild (discord/discord-api-docs#7680, 2025) carry
 *   `x-ratelimit-limit: 10` on a fixed window, and the member-edit figure libraries list is
 *   10 per 10 s per guild (MEMBER_ROLE_BUCKET). Off unless a test turns it on, since it makes
 *   every role-heavy test wait.
 * - per route: one bucket per route and major parameter (guild, channel, webhook).
 *
 * Every enforced 429 is counted by scope (`global`, `user`); injected ones are not.
 */
import { createHash } from 'node:crypto';

export interface RateLimitConfig {
  /** Requests per bucket per window. */
  limit: number;
  windowMs: number;
}

/** Discord's global limit: 50 requests per second per bot token. */
export const GLOBAL_RATE_LIMIT: RateLimitConfig = { limit: 50, windowMs: 1_000 };

/** The member-role bucket per guild, as documented above. */
export const MEMBER_ROLE_BUCKET: RateLimitConfig = { limit: 10, windowMs: 10_000 };

/** The routes whose calls share the member-role bucket of their guild. */
export const MEMBER_ROLE_ROUTES: readonly string[] = [
  'PUT /guilds/:guildId/members/:userId/roles/:roleId',
  'DELETE /guilds/:guildId/members/:userId/roles/:roleId',
];

export interface RateLimitsOptions {
  perRoute: RateLimitConfig;
  /** Global limit per bot token; null turns it off. */
  global: RateLimitConfig | null;
  /** The shared member-role bucket per guild; null turns it off. */
  memberRoles: RateLimitConfig | null;
}

export type RateLimitScope = 'global' | 'user';

interface Bucket {
  remaining: number;
  resetAt: number;
}

export type RateLimitVerdict =
  | { allowed: true; headers: Record<string, string> }
  | {
      allowed: false;
      headers: Record<string, string>;
      retryAfterSeconds: number;
      global: boolean;
    };

/** A request as the limits see it. */
export interface LimitedRequest {
  /** `METHOD /pattern`, e.g. `PUT /guilds/:guildId/members/:userId/roles/:roleId`. */
  routeKey: string;
  /** Guild, channel or webhook of the path ('global' for none). */
  majorParameter: string;
  /** Counted in the global limit (the request carries the bot token). */
  global: boolean;
}

export class RateLimits {
  private readonly buckets = new Map<string, Bucket>();
  private globalWindow: Bucket | undefined;
  private readonly refused: Record<RateLimitScope, number> = { global: 0, user: 0 };

  constructor(private options: RateLimitsOptions) {}

  /** Turns the global limit on with `config`, or off with null, from the next request. */
  setGlobal(config: RateLimitConfig | null): void {
    this.options = { ...this.options, global: config };
    this.globalWindow = undefined;
  }

  /** Turns the member-role bucket on with `config`, or off with null, from the next request. */
  setMemberRoles(config: RateLimitConfig | null): void {
    this.options = { ...this.options, memberRoles: config };
    for (const key of [...this.buckets.keys()])
      if (key.startsWith(MEMBER_ROLE_BUCKET_KEY)) this.buckets.delete(key);
  }

  /** Responses 429 the limits gave, by scope. */
  refusedCounts(): Record<RateLimitScope, number> {
    return { ...this.refused };
  }

  take(request: LimitedRequest, now = Date.now()): RateLimitVerdict {
    const { global, memberRoles } = this.options;
    if (request.global && global) {
      if (!this.globalWindow || this.globalWindow.resetAt <= now)
        this.globalWindow = { remaining: global.limit, resetAt: now + global.windowMs };
      if (this.globalWindow.remaining <= 0) {
        this.refused.global += 1;
        const retryAfter = (this.globalWindow.resetAt - now) / 1000;
        return {
          allowed: false,
          global: true,
          retryAfterSeconds: retryAfter,
          headers: { 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global' },
        };
      }
      this.globalWindow.remaining -= 1;
    }
    const shared = memberRoles && MEMBER_ROLE_ROUTES.includes(request.routeKey);
    const config = shared ? memberRoles : this.options.perRoute;
    const bucketName = shared ? MEMBER_ROLE_BUCKET_KEY : request.routeKey;
    const key = `${bucketName}|${request.majorParameter}`;
    let bucket = this.buckets.get(key);
    if (!bucket || bucket.resetAt <= now) {
      bucket = { remaining: config.limit, resetAt: now + config.windowMs };
      this.buckets.set(key, bucket);
    }
    const resetAfter = (bucket.resetAt - now) / 1000;
    if (bucket.remaining <= 0) {
      this.refused.user += 1;
      return {
        allowed: false,
        global: false,
        retryAfterSeconds: resetAfter,
        headers: {
          ...this.headers(bucketName, config, 0, bucket.resetAt, resetAfter),
          'x-ratelimit-scope': 'user',
        },
      };
    }
    bucket.remaining -= 1;
    return {
      allowed: true,
      headers: this.headers(bucketName, config, bucket.remaining, bucket.resetAt, resetAfter),
    };
  }

  /** Headers for an injected per-route 429: the bucket looks exhausted until retry-after. */
  exhaustedHeaders(
    routeKey: string,
    retryAfterSeconds: number,
    now = Date.now(),
  ): Record<string, string> {
    return this.headers(
      routeKey,
      this.options.perRoute,
      0,
      now + retryAfterSeconds * 1000,
      retryAfterSeconds,
    );
  }

  private headers(
    bucketName: string,
    config: RateLimitConfig,
    remaining: number,
    resetAt: number,
    resetAfter: number,
  ): Record<string, string> {
    return {
      'x-ratelimit-limit': String(config.limit),
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-reset': (resetAt / 1000).toFixed(3),
      'x-ratelimit-reset-after': resetAfter.toFixed(3),
      // Discord's bucket ids are opaque hashes shared by all major parameters of a route.
      'x-ratelimit-bucket': createHash('sha1').update(bucketName).digest('hex').slice(0, 32),
    };
  }
}

/** One bucket name for both member-role routes, so they share the bucket id and the count. */
const MEMBER_ROLE_BUCKET_KEY = 'member-roles';
