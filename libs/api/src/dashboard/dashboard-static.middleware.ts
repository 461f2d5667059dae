import { existsSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import express, { NextFunction, Request, RequestHandler, Response } from 'express';

/** Paths the server answers itself: the dashboard never shadows them, not even with a 404. */
const SERVER_PREFIXES = [
  '/graphql',
  '/admin',
  '/auth',
  '/health',
  '/metrics',
  '/docs',
  '/telegram',
  '/avatars',
];

const isServerPath = (path: string) =>
  SERVER_PREFIXES.some(
    (prefix) => path === prefix || path.startsWith(`${prefix}/`) || path.startsWith(`${prefix}-`),
  );

/**
 * Where `vite build` puts the dashboard (`dist/dashboard`): next to the compiled server when it
 * runs from `dist/` (npm start, the image), else under the working directory (tests, ts-node).
 */
export function dashboardCandidates(): string[] {
  return [resolve(__dirname, '..', '..', '..', '..', 'dashboard'), resolve('dist', 'dashboard')];
}

/** The directory of the built dashboard, if there is one. */
export function builtDashboard(candidates = dashboardCandidates()): string | undefined {
  return candidates.find((dir) => existsSync(join(dir, 'index.html')));
}

/** A path the dashboard's client router may own: a GET without a file extension. */
export function isClientRoute(method: string, path: string): boolean {
  return (method === 'GET' || method === 'HEAD') && extname(path) === '' && !isServerPath(path);
}

/**
 * Serves the built dashboard's files (paths with an extension: assets, favicon). Looked up per
 * request, so `npm run build` while the server runs is picked up without a restart. Client
 * routes (/, /events...) are NOT answered here: they fall through to the routes of the app, and
 * only a path no route matched gets index.html (DashboardFallbackFilter), so the dashboard can
 * never shadow a route, whatever module adds it.
 */
export function dashboardStatic(candidates = dashboardCandidates()): RequestHandler {
  const servers = new Map<string, RequestHandler>();
  const serverFor = (root: string) => {
    let server = servers.get(root);
    if (!server) {
      // Hashed asset names change with every build: cache them; never cache index.html.
      server = express.static(root, {
        index: false,
        setHeaders: (res, path) => {
          res.setHeader(
            'cache-control',
            path.includes(`${join(root, 'assets')}`)
              ? 'public, max-age=31536000, immutable'
              : 'no-cache',
          );
        },
      });
      servers.set(root, server);
    }
    return server;
  };

  return (req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || isServerPath(req.path)) return next();
    if (extname(req.path) === '') return next();
    const root = builtDashboard(candidates);
    if (!root) return next();
    serverFor(root)(req, res, next);
  };
}
