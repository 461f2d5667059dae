import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AppMetrics } from './app.metrics';

/** Paths served outside Nest's router (no route template on the request): labelled as is. */
const STATIC_ROUTES = ['/graphql', '/docs', '/metrics'];

/**
 * Observes every response's latency under its route template (`/admin/rank-roles/:rankId`),
 * never the raw URL, so ids do not explode the label set; unknown paths share one label.
 */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: AppMetrics) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const end = this.metrics.httpDuration.startTimer();
    res.once('finish', () => {
      end({ method: req.method, route: routeOf(req), status: String(res.statusCode) });
    });
    next();
  }
}

function routeOf(req: Request): string {
  const template = (req.route as { path?: unknown } | undefined)?.path;
  // Our own catch-all middleware route ('{*path}') is not a template worth a label.
  if (typeof template === 'string' && !template.includes('{*path}')) {
    return `${req.baseUrl ?? ''}${template}`;
  }
  const path = req.originalUrl.split('?')[0];
  return (
    STATIC_ROUTES.find((route) => path === route || path.startsWith(`${route}/`)) ?? 'unmatched'
  );
}
