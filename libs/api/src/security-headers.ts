import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import { landingPageInlineHashes } from './graphql/landing-page.plugin';

/** Where the Telegram Login Widget comes from: its script, and the frame it opens. */
export const TELEGRAM_WIDGET_SCRIPT_ORIGIN = 'https://telegram.org';
export const TELEGRAM_WIDGET_FRAME_ORIGIN = 'https://oauth.telegram.org';

type Directives = Record<string, string[]>;

const COMMON: Directives = {
  'default-src': ["'self'"],
  'base-uri': ["'none'"],
  'object-src': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'connect-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
};

/**
 * The Content-Security-Policy of each page the API serves:
 * - the dashboard (`/` and everything not below): its own bundle, and the Telegram Login
 *   Widget's script and frame; no inline script or style at all;
 * - `/graphql`: the landing page's one inline script and style, by hash;
 * - `/docs`: Swagger UI's files; its template and components use inline styles, so styles (only
 *   styles) may be inline there.
 */
export function contentSecurityPolicies(graphqlPath: string): {
  dashboard: Directives;
  graphql: Directives;
  docs: Directives;
} {
  const landing = landingPageInlineHashes(graphqlPath);
  return {
    dashboard: {
      ...COMMON,
      'script-src': ["'self'", TELEGRAM_WIDGET_SCRIPT_ORIGIN],
      'style-src': ["'self'"],
      'frame-src': [TELEGRAM_WIDGET_FRAME_ORIGIN],
    },
    graphql: {
      ...COMMON,
      'script-src': [landing.script],
      'style-src': [landing.style],
      'frame-src': ["'none'"],
    },
    docs: {
      ...COMMON,
      'script-src': ["'self'"],
      'style-src': ["'self'", "'unsafe-inline'"],
      'frame-src': ["'none'"],
    },
  };
}

/**
 * helmet on every response of the API role, with the policy of the page it serves: CSP,
 * `frame-ancestors 'none'` and X-Frame-Options DENY (no clickjacking), nosniff, no referrer,
 * and a popup-friendly opener policy (the Login Widget talks to its popup).
 */
export function securityHeaders(graphqlPath: string): RequestHandler {
  const policies = contentSecurityPolicies(graphqlPath);
  const withPolicy = (directives: Directives) =>
    helmet({
      contentSecurityPolicy: { useDefaults: false, directives },
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
      crossOriginOpenerPolicy: { policy: 'same-origin-allow-popups' },
    });
  const dashboard = withPolicy(policies.dashboard);
  const graphql = withPolicy(policies.graphql);
  const docs = withPolicy(policies.docs);
  const under = (path: string, prefix: string) =>
    path === prefix || path.startsWith(`${prefix}/`) || path.startsWith(`${prefix}-`);
  return (req: Request, res: Response, next: NextFunction) => {
    if (under(req.path, graphqlPath)) return graphql(req, res, next);
    if (under(req.path, '/docs')) return docs(req, res, next);
    return dashboard(req, res, next);
  };
}
