import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { json } from 'express';
import { DocumentNode, parse } from 'graphql';
import { Clock } from '@ttfd/clock';
import { AppConfig } from '@ttfd/config';
import { viewerOf } from '../auth/viewer';
import { FixedWindowLimiter } from '@ttfd/common';
import { measureOperation, QueryCost } from './query-limits';
import { declaredBodyCap } from '../declared-body-cap';

export interface QueryLimits {
  maxDepth: number;
  maxComplexity: number;
  maxAliases: number;
  maxRootFields: number;
  maxDirectives: number;
}

/** Each measured cost, its limit and the code a document over it is refused with (HTTP 400). */
const CHECKS: { code: string; what: string; cost: keyof QueryCost; limit: keyof QueryLimits }[] = [
  { code: 'QUERY_TOO_DEEP', what: 'Query depth', cost: 'depth', limit: 'maxDepth' },
  {
    code: 'QUERY_TOO_COMPLEX',
    what: 'Query complexity',
    cost: 'complexity',
    limit: 'maxComplexity',
  },
  { code: 'QUERY_TOO_MANY_ALIASES', what: 'Aliases', cost: 'aliases', limit: 'maxAliases' },
  {
    code: 'QUERY_TOO_MANY_ROOT_FIELDS',
    what: 'Top-level fields',
    cost: 'rootFields',
    limit: 'maxRootFields',
  },
  {
    code: 'QUERY_TOO_MANY_DIRECTIVES',
    what: 'Directives',
    cost: 'directives',
    limit: 'maxDirectives',
  },
];

export function queryLimitsOf(config: AppConfig): QueryLimits {
  return {
    maxDepth: config.env.GRAPHQL_MAX_DEPTH,
    maxComplexity: config.env.GRAPHQL_MAX_COMPLEXITY,
    maxAliases: config.env.GRAPHQL_MAX_ALIASES,
    maxRootFields: config.env.GRAPHQL_MAX_ROOT_FIELDS,
    maxDirectives: config.env.GRAPHQL_MAX_DIRECTIVES,
  };
}

/**
 * Everything a GraphQL request may cost is bounded here, in front of Apollo, before graphql-js
 * validates the document (validation itself is superlinear on alias floods) and before any
 * resolver. In order:
 * 1. the body: JSON of at most GRAPHQL_MAX_BODY_BYTES (413 BODY_TOO_LARGE, from the declared
 *    length when there is one, so an oversized body is never read);
 * 2. the caller: GRAPHQL_RATE_LIMIT requests per GRAPHQL_RATE_WINDOW_MS, whatever they select
 *    (a `__typename` counts); a player by session, anyone else by address, the admin token not
 *    limited (429 RATE_LIMITED with Retry-After);
 * 3. the document: parsed with GRAPHQL_MAX_TOKENS (400 GRAPHQL_PARSE_FAILED beyond it or on a
 *    syntax error), measured once (fragments memoized), refused over any limit of
 *    query-limits.ts (400 with the limit's code).
 * Apollo parses with the same token budget (`parseOptions.maxTokens`) for any other way in.
 */
export function graphqlGate(config: AppConfig, clock: Clock): RequestHandler {
  const parseBody = json({ limit: config.env.GRAPHQL_MAX_BODY_BYTES });
  const callers = new FixedWindowLimiter(
    config.env.GRAPHQL_RATE_LIMIT,
    config.env.GRAPHQL_RATE_WINDOW_MS,
  );
  const limits = queryLimitsOf(config);

  const refuse = (res: Response, status: number, code: string, message: string) =>
    res.status(status).json({ errors: [{ message, extensions: { code } }] });

  const refuseTooLarge = (res: Response) =>
    refuse(
      res,
      413,
      'BODY_TOO_LARGE',
      `The request body exceeds ${config.env.GRAPHQL_MAX_BODY_BYTES} bytes`,
    );

  const declaredCap = declaredBodyCap(config.env.GRAPHQL_MAX_BODY_BYTES, refuseTooLarge);

  return (req: Request, res: Response, next: NextFunction) => {
    declaredCap(req, res, () =>
      parseBody(req, res, (bodyError?: unknown) => {
        if (bodyError) {
          return (bodyError as { type?: string }).type === 'entity.too.large'
            ? refuseTooLarge(res)
            : refuse(res, 400, 'BAD_REQUEST', 'The request body is not valid JSON');
        }
        // The landing page (GET with Accept: text/html) is no operation.
        const request = (req.method === 'GET' ? req.query : req.body) as
          Record<string, unknown> | undefined;
        const query = request?.query;
        if (typeof query !== 'string') return next();

        const viewer = viewerOf(req, config, clock);
        if (viewer.kind !== 'admin') {
          const key =
            viewer.kind === 'player' ? `player:${viewer.telegramId}` : `address:${req.ip ?? ''}`;
          const retryAfterSeconds = callers.hit(key, clock.nowMs());
          if (retryAfterSeconds > 0) {
            res.setHeader('retry-after', String(retryAfterSeconds));
            return refuse(
              res,
              429,
              'RATE_LIMITED',
              `Too many requests; try again in ${retryAfterSeconds} s`,
            );
          }
        }

        let document: DocumentNode;
        try {
          document = parse(query, { maxTokens: config.env.GRAPHQL_MAX_TOKENS });
        } catch (error) {
          return refuse(res, 400, 'GRAPHQL_PARSE_FAILED', (error as Error).message);
        }
        const cost = measureOperation(
          document,
          typeof request?.operationName === 'string' ? request.operationName : undefined,
          variablesOf(request?.variables),
        );
        for (const check of CHECKS) {
          if (cost[check.cost] > limits[check.limit]) {
            return refuse(
              res,
              400,
              check.code,
              `${check.what} ${cost[check.cost]} exceeds the limit of ${limits[check.limit]}`,
            );
          }
        }
        next();
      }),
    );
  };
}

/** Variables as sent: an object in a POST body, a JSON string in a GET query. */
function variablesOf(raw: unknown): Record<string, unknown> {
  if (typeof raw === 'string') {
    try {
      return variablesOf(JSON.parse(raw));
    } catch {
      return {};
    }
  }
  return raw && typeof raw === 'object' && !Array.isArray(raw)
    ? (raw as Record<string, unknown>)
    : {};
}
