import { ArgumentsHost, Catch, ExceptionFilter, NotFoundException } from '@nestjs/common';
import { join } from 'node:path';
import type { Request, Response } from 'express';
import { errorBody } from '../errors/error-body';
import { builtDashboard, isClientRoute } from './dashboard-static.middleware';

/**
 * The dashboard's client routes (/, /events, /settings...): a GET that no route of the app
 * matched gets index.html, and the client router takes it from there. Anything else keeps its
 * ordinary 404. Without a build, `/` says how to make one.
 */
@Catch(NotFoundException)
export class DashboardFallbackFilter implements ExceptionFilter<NotFoundException> {
  catch(exception: NotFoundException, host: ArgumentsHost): unknown {
    // GraphQL and other contexts: leave the exception to their own handling.
    if (host.getType() !== 'http') return exception;
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    const root = builtDashboard();
    if (isClientRoute(req.method, req.path) && root) {
      res.setHeader('cache-control', 'no-cache');
      res.sendFile(join(root, 'index.html'));
      return undefined;
    }
    if (isClientRoute(req.method, req.path) && req.path === '/') {
      res
        .status(503)
        .type('text/plain')
        .send('The dashboard is not built yet: run `npm run build`, then reload this page.\n');
      return undefined;
    }
    res.status(404).json(errorBody(404, 'NOT_FOUND', exception.message));
    return undefined;
  }
}
