import { ApolloServerPlugin } from '@apollo/server';
import { AppMetrics } from '@ttfd/observability';
import { operationNameLabel } from './dashboard-operations';

/**
 * Latency per operation: type, name (bounded: the dashboard's own names, `other` for any other,
 * `anonymous` when unnamed), outcome.
 */
export function graphqlMetricsPlugin(metrics: AppMetrics): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const end = metrics.graphqlDuration.startTimer();
      let operation = 'unknown';
      let name = 'anonymous';
      return {
        async didResolveOperation({ operation: op, operationName }) {
          operation = op?.operation ?? 'unknown';
          name = operationNameLabel(operationName);
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
