import { Logger } from '@nestjs/common';
import { ApolloServerPlugin } from '@apollo/server';

const logger = new Logger('GraphQL');

/**
 * One warning per request that had refused fields (UNAUTHENTICATED, RATE_LIMITED, a domain
 * refusal, a validation failure), with each code's count: a 500-alias request that is throttled
 * is one line, not 500. Unexpected errors are logged at error by formatGraphqlError.
 */
export function graphqlRefusalsPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, operationName }) {
          if (response.body.kind !== 'single') return;
          const counts = new Map<string, number>();
          for (const error of response.body.singleResult.errors ?? []) {
            const code = String(error.extensions?.code ?? 'UNKNOWN');
            if (code === 'INTERNAL_SERVER_ERROR') continue;
            counts.set(code, (counts.get(code) ?? 0) + 1);
          }
          if (counts.size === 0) return;
          const summary = [...counts]
            .map(([code, n]) => (n > 1 ? `${code} x${n}` : code))
            .join(', ');
          logger.warn(`GraphQL ${(operationName ?? 'anonymous').slice(0, 64)} refused: ${summary}`);
        },
      };
    },
  };
}
