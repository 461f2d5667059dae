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

/**
 * Serves the built dashboard: its files, and index.html for client routes (paths without an
 * extension) so a reload on /events works. Looked up per request, so `npm run build` while the
 * server runs is picked up without a restart; without a build, `/` says how to make one.
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
    const root = candidates.find((dir) => existsSync(join(dir, 'index.html')));
    const clientRoute = extname(req.path) === '';
    if (!root) {
      if (req.path !== '/') return next();
      res
        .status(503)
        .type('text/plain')
        .send('The dashboard is not built yet: run `npm run build`, then reload this page.\n');
      return;
    }
    serverFor(root)(req, res, () => {
      if (!clientRoute) return next();
      res.setHeader('cache-control', 'no-cache');
      res.sendFile(join(root, 'index.html'));
    });
  };
}
