import { INestApplication } from '@nestjs/common';
import { AppConfig } from '@ttfd/config';
import { Clock } from '@ttfd/clock';
import { graphqlGate } from './graphql/graphql-gate';
import { GRAPHQL_PATH } from './graphql/graphql-options';
import { securityHeaders } from './security-headers';
import { declaredBodyCap, PARSED_BODY_MAX_BYTES } from './declared-body-cap';
import { errorBody } from './errors/error-body';

/**
 * What the API role puts in front of every route, registered before Nest initialises (so before
 * its own body parsers): security headers (helmet, a CSP per page) on every response, and the
 * GraphQL gate (body size, caller rate, document cost); every other route's parsed body (JSON,
 * form) refused from its declared length when over the parsers' cap, before a byte is read.
 */
export function setupApiEdge(app: INestApplication, config: AppConfig): void {
  app.use(securityHeaders(GRAPHQL_PATH));
  app.use(GRAPHQL_PATH, graphqlGate(config, app.get(Clock)));
  app.use(
    declaredBodyCap(
      PARSED_BODY_MAX_BYTES,
      (res, maxBytes) =>
        res
          .status(413)
          .json(errorBody(413, 'BODY_TOO_LARGE', `The request body exceeds ${maxBytes} bytes`)),
      // GraphQL has its own cap in its gate; multipart uploads have their own route's cap
      // (imports: 50 MB, streamed to a file).
      (req) => !req.path.startsWith(GRAPHQL_PATH) && !req.is('multipart/form-data'),
    ),
  );
}
