import { ApolloDriverConfig } from '@nestjs/apollo';
import { AppConfig } from '@ttfd/config';
import { AppMetrics } from '@ttfd/observability';
import { formatGraphqlError } from '../errors/format-graphql-error';
import { graphqlMetricsPlugin } from './graphql-metrics.plugin';
import { graphqlRefusalsPlugin } from './graphql-refusals.plugin';
import { localLandingPagePlugin } from './landing-page.plugin';

export const GRAPHQL_PATH = '/graphql';

/**
 * Code-first schema in memory, at /graphql. No CDN landing page (playground off, our own local
 * page instead), no stack traces in any environment, a token budget for the parser, latency
 * metric. Body size, per-caller rate and document cost are bounded in front of Apollo
 * (graphql-gate.ts).
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
    parseOptions: { maxTokens: config.env.GRAPHQL_MAX_TOKENS },
    context: ({ req, res }: { req: unknown; res: unknown }) => ({ req, res }),
    plugins: [
      localLandingPagePlugin(GRAPHQL_PATH),
      graphqlMetricsPlugin(metrics),
      graphqlRefusalsPlugin(),
    ],
  };
}
