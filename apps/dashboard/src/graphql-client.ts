import { session } from './session';

/** A GraphQL error as the server reports it: a message and a stable `extensions.code`. */
export class GraphqlError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'GraphqlError';
  }
}

interface GraphqlResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export interface RequestOptions {
  /** A token to use instead of the session's (the sign-in form checks a candidate). */
  token?: string | null;
}

/**
 * POST /graphql with the session's bearer token (the admin token, else the player session).
 * Throws GraphqlError on any error, so pages have one failure path to show.
 */
export async function gql<T>(
  query: string,
  variables: Record<string, unknown> = {},
  options: RequestOptions = {},
): Promise<T> {
  const token = options.token !== undefined ? options.token : session.bearer();
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new GraphqlError('The server cannot be reached.', 'NETWORK_ERROR');
  }
  let body: GraphqlResponse<T>;
  try {
    body = (await response.json()) as GraphqlResponse<T>;
  } catch {
    throw new GraphqlError(`The server answered ${response.status}.`, 'BAD_RESPONSE');
  }
  const first = body.errors?.[0];
  if (first) {
    const code = first.extensions?.code ?? 'ERROR';
    // A stored token the server no longer accepts (rotated, or a session that expired).
    if (code === 'UNAUTHENTICATED' && options.token === undefined && token) session.expired();
    throw new GraphqlError(first.message, code);
  }
  if (!body.data) throw new GraphqlError('The server sent no data.', 'BAD_RESPONSE');
  return body.data;
}
