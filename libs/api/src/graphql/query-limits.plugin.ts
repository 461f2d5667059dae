import { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { measureOperation } from './query-limits';

/**
 * Refuses an operation deeper or costlier than the limits before any resolver runs, with
 * HTTP 400 and a stable code (QUERY_TOO_DEEP, QUERY_TOO_COMPLEX).
 */
export function queryLimitsPlugin(limits: {
  maxDepth: number;
  maxComplexity: number;
}): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operationName, request }) {
          const cost = measureOperation(document, operationName, request.variables ?? {});
          if (cost.depth > limits.maxDepth) {
            throw new GraphQLError(
              `Query depth ${cost.depth} exceeds the limit of ${limits.maxDepth}`,
              { extensions: { code: 'QUERY_TOO_DEEP', http: { status: 400 } } },
            );
          }
          if (cost.complexity > limits.maxComplexity) {
            throw new GraphQLError(
              `Query complexity ${cost.complexity} exceeds the limit of ${limits.maxComplexity}`,
              { extensions: { code: 'QUERY_TOO_COMPLEX', http: { status: 400 } } },
            );
          }
        },
      };
    },
  };
}
