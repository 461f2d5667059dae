import { ApolloDriverConfig } from '@nestjs/apollo';
import { AppConfig } from '@ttfd/config';
import { AppMetrics } from '@ttfd/observability';
import { formatGraphqlError } from '../errors/format-graphql-error';
import { graphqlMetricsPlugin } from './graphql-metrics.plugin';
import { graphqlRefusalsPlugin } from './graphql-refusals.plugin';
import { localLandingPagePlugin } from './landing-page.plugin';
import { queryLimitsPlugin } from './query-limits.plugin';

export const GRAPHQL_PATH = '/graphql';

/**
 * Code-first schema in memory, at /graphql. No CDN landing page (playground off, our own local
 * page instead), no stack traces in any environment, depth and complexity limits, latency metric.
 */
export function graphqlOptions(config: AppConfig, metrics: AppMetrics): ApolloDriverConfig {
  return {
    path: GRAPHQL_PATH,
    autoSchemaFile: true,
    sortSchema: true,
    playground: false,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    autoTransformHttpErrors: false,
    formatError: formatGraphqlError,
    context: ({ req, res }: { req: unknown; res: unknown }) => ({ req, res }),
    plugins: [
      localLandingPagePlugin(GRAPHQL_PATH),
      queryLimitsPlugin({
        maxDepth: config.env.GRAPHQL_MAX_DEPTH,
        maxComplexity: config.env.GRAPHQL_MAX_COMPLEXITY,
      }),
      graphqlMetricsPlugin(metrics),
      graphqlRefusalsPlugin(),
    ],
  };
}
