/**
 * The one shape of every REST error body: the HTTP status, a stable `code` to switch on, and a
 * `message` for people (for VALIDATION_FAILED, one message per field, in `fields` order). Domain
 * errors add their `details`. Every filter and pipe of this edge answers through here.
 */
export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string | string[];
  details?: Record<string, unknown>;
  fields?: string[];
}

export function errorBody(
  statusCode: number,
  code: string,
  message: string | string[],
  extra: Pick<ErrorBody, 'details' | 'fields'> = {},
): ErrorBody {
  return { statusCode, code, message, ...extra };
}
