import { INestApplication } from '@nestjs/common';
import { AppConfig } from '@ttfd/config';
import { Clock } from '@ttfd/clock';
import { graphqlGate } from './graphql/graphql-gate';
import { GRAPHQL_PATH } from './graphql/graphql-options';
import { securityHeaders } from './security-headers';

/**
 * What the API role puts in front of every route, registered before Nest initialises (so before
 * its own body parsers): security headers (helmet, a CSP per page) on every response, and the
 * GraphQL gate (body size, caller rate, document cost).
 */
export function setupApiEdge(app: INestApplication, config: AppConfig): void {
  app.use(securityHeaders(GRAPHQL_PATH));
  app.use(GRAPHQL_PATH, graphqlGate(config, app.get(Clock)));
}
