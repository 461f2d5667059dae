/**
 * A tiny router: method + pattern -> synchronous handler. Handlers return a status and an
 * optional JSON body, or throw a DiscordHttpError; the server turns both into HTTP.
 */
import { matchPattern } from './route-pattern';

export interface RestRequest {
  method: string;
  /** Path without `/api/v10` and without query. */
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  /** Names of uploaded files when the body was multipart. */
  files: string[];
}

export interface RestResponse {
  status: number;
  /** Absent for 204: then no body and no content-type at all. */
  body?: unknown;
}

export type RouteHandler = (request: RestRequest) => RestResponse;

export interface RouteOptions {
  /** Needs `Authorization: Bot <token>` (interaction callbacks and webhook-token routes do not). */
  auth?: boolean;
  /** Counted in a rate-limit bucket (interaction callbacks are not, like on Discord). */
  rateLimited?: boolean;
}

export interface Route extends Required<RouteOptions> {
  method: string;
  pattern: string;
  handler: RouteHandler;
}

export type RouteResolution =
  | { kind: 'found'; route: Route; params: Record<string, string> }
  | { kind: 'method-not-allowed' }
  | { kind: 'not-found' };

export const ok = (body: unknown): RestResponse => ({ status: 200, body });
export const created = (body: unknown): RestResponse => ({ status: 201, body });
export const noContent = (): RestResponse => ({ status: 204 });

export class RestRouter {
  private readonly routes: Route[] = [];

  get(pattern: string, handler: RouteHandler, options?: RouteOptions): this {
    return this.add('GET', pattern, handler, options);
  }
  post(pattern: string, handler: RouteHandler, options?: RouteOptions): this {
    return this.add('POST', pattern, handler, options);
  }
  put(pattern: string, handler: RouteHandler, options?: RouteOptions): this {
    return this.add('PUT', pattern, handler, options);
  }
  patch(pattern: string, handler: RouteHandler, options?: RouteOptions): this {
    return this.add('PATCH', pattern, handler, options);
  }
  delete(pattern: string, handler: RouteHandler, options?: RouteOptions): this {
    return this.add('DELETE', pattern, handler, options);
  }

  /** First registered match wins, so literal routes (`/users/@me`) go before `:params`. */
  resolve(method: string, path: string): RouteResolution {
    let pathMatched = false;
    for (const route of this.routes) {
      const params = matchPattern(route.pattern, path);
      if (!params) continue;
      if (route.method === method) return { kind: 'found', route, params };
      pathMatched = true;
    }
    return pathMatched ? { kind: 'method-not-allowed' } : { kind: 'not-found' };
  }

  private add(
    method: string,
    pattern: string,
    handler: RouteHandler,
    options: RouteOptions = {},
  ): this {
    this.routes.push({
      method,
      pattern,
      handler,
      auth: options.auth ?? true,
      rateLimited: options.rateLimited ?? true,
    });
    return this;
  }
}
