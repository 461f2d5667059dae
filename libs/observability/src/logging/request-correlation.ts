import type { IncomingMessage, ServerResponse } from 'node:http';
import { acceptableCorrelationId, newCorrelationId, withCorrelation } from '@ttfd/common';

type RequestWithId = IncomingMessage & { id?: string | number | object };

/**
 * The request's id: the caller's `X-Request-Id` when acceptable, else a new one; echoed back.
 * Idempotent, because both pino-http (`genReqId`) and the correlation middleware ask for it
 * and either may run first.
 */
export function requestIdOf(req: RequestWithId, res: ServerResponse): string {
  if (typeof req.id === 'string') return req.id;
  const id = acceptableCorrelationId(req.headers['x-request-id']) ?? newCorrelationId('http');
  req.id = id;
  if (!res.headersSent) res.setHeader('x-request-id', id);
  return id;
}

/**
 * Express middleware running the rest of the request inside its correlation. Registered as a
 * Nest middleware, i.e. after the body parsers: a context entered before them would be lost in
 * their stream callbacks.
 */
export function correlateRequest(req: RequestWithId, res: ServerResponse, next: () => void): void {
  withCorrelation(requestIdOf(req, res), next);
}
