import { ApolloServerPlugin } from '@apollo/server';
import { AppMetrics } from '@ttfd/observability';

/** Latency per operation: type, name (bounded: 64 chars, `anonymous` when unnamed), outcome. */
export function graphqlMetricsPlugin(metrics: AppMetrics): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const end = metrics.graphqlDuration.startTimer();
      let operation = 'unknown';
      let name = 'anonymous';
      return {
        async didResolveOperation({ operation: op, operationName }) {
          operation = op?.operation ?? 'unknown';
          name = (operationName ?? 'anonymous').slice(0, 64);
        },
        async willSendResponse({ response, errors }) {
          const failed =
            !!errors?.length ||
            (response.body.kind === 'single' && !!response.body.singleResult.errors?.length);
          end({ operation, name, outcome: failed ? 'error' : 'ok' });
        },
      };
    },
  };
}
