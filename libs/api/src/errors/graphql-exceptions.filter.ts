import { ArgumentsHost, Catch, Logger } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { GqlContextType } from '@nestjs/graphql';

/**
 * Exceptions thrown in a GraphQL resolver or guard go to Apollo untouched: formatGraphqlError
 * gives them their code, logs the unexpected ones at error, and the refusals plugin says once
 * per request, at warn, what was refused. Without this filter Nest's default external handler
 * logs every one of them at error with a stack (a refused admin call, each of 499 throttled
 * aliases). HTTP keeps Nest's own handling; anything else (a Discord interaction's guard) is
 * logged and rethrown, as Nest would.
 *
 * Registered globally by ApiModule, before the other global filters: Nest tries the last
 * registered first, so the specific ones (malformed requests, the dashboard's 404 fallback in a
 * module ApiModule imports) are consulted before this catch-all.
 */
@Catch()
export class GraphqlExceptionsFilter extends BaseExceptionFilter {
  private readonly logger = new Logger('ExceptionsHandler');

  override catch(exception: unknown, host: ArgumentsHost): unknown {
    const type = host.getType<GqlContextType>();
    if (type === 'graphql') return exception;
    if (type === 'http') return super.catch(exception, host);
    this.logger.error(
      exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
    );
    throw exception;
  }
}
