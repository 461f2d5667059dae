import { Logger, HttpException, HttpStatus } from '@nestjs/common';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLFormattedError } from 'graphql';
import { isDomainError } from '@ttfd/common';
import { DATABASE_TEXT_ERROR, isDatabaseEncodingError } from './plain-text';

const logger = new Logger('GraphQL');

/** Codes GraphQL itself (parse, validation, limits) gives; their messages are safe to show. */
const PROTOCOL_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'QUERY_TOO_DEEP',
  'QUERY_TOO_COMPLEX',
]);

/**
 * Every GraphQL error leaves with a stable `extensions.code` and nothing else of the server:
 * domain errors keep their code and details, Nest HTTP exceptions (validation) become
 * BAD_REQUEST & co., anything unexpected becomes INTERNAL_SERVER_ERROR with a generic message
 * (and is logged here). Stack traces never leave, in any NODE_ENV.
 */
export function formatGraphqlError(
  formatted: GraphQLFormattedError,
  error: unknown,
): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const base = { path: formatted.path, locations: formatted.locations };
  if (isDatabaseEncodingError(original)) {
    const refusal = DATABASE_TEXT_ERROR();
    return { ...base, message: refusal.message, extensions: { code: refusal.code } };
  }
  if (isDomainError(original)) {
    return {
      ...base,
      message: original.message,
      extensions: { code: original.code, ...original.details },
    };
  }
  if (original instanceof HttpException) {
    const response = original.getResponse();
    const message =
      typeof response === 'object' && response !== null && 'message' in response
        ? ([] as unknown[])
            .concat((response as { message: unknown }).message)
            .map(String)
            .join('; ')
        : original.message;
    return { ...base, message, extensions: { code: httpCode(original.getStatus()) } };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && PROTOCOL_CODES.has(code)) {
    return { ...base, message: formatted.message, extensions: { code } };
  }
  logger.error(
    `Unexpected GraphQL error: ${original instanceof Error ? (original.stack ?? original.message) : String(original)}`,
  );
  return {
    ...base,
    message: 'Internal server error',
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}

function httpCode(status: number): string {
  switch (status) {
    case HttpStatus.BAD_REQUEST:
      return 'BAD_REQUEST';
    case HttpStatus.UNAUTHORIZED:
      return 'UNAUTHENTICATED';
    case HttpStatus.FORBIDDEN:
      return 'FORBIDDEN';
    case HttpStatus.NOT_FOUND:
      return 'NOT_FOUND';
    case HttpStatus.TOO_MANY_REQUESTS:
      return 'RATE_LIMITED';
    default:
      return status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST';
  }
}
