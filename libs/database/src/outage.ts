/**
 * Whether an error means "Postgres or Redis is not there right now" rather than "our code or the
 * input is wrong". Callers that can be retried by someone else (a Telegram update that Telegram
 * delivers again) refuse the work on an outage instead of telling the user about a bug.
 *
 * It looks through `cause` and TypeORM's `driverError`, because the raw driver error is usually
 * wrapped once or twice by the time it reaches an edge.
 */
export function isStoreOutage(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (typeof current === 'object' && current !== null && !seen.has(current)) {
    seen.add(current);
    if (looksLikeOutage(current as OutageCandidate)) return true;
    const candidate = current as OutageCandidate;
    current = candidate.driverError ?? candidate.cause;
  }
  return false;
}

interface OutageCandidate {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  driverError?: unknown;
  cause?: unknown;
}

/** Socket-level failures, from pg and ioredis alike. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * Postgres SQLSTATEs of a server that is going away or not taking connections: class 08
 * (connection exception), 57P01-57P03 (shutdown, crash shutdown, cannot connect now), 53300
 * (too many connections).
 */
function isUnavailableSqlState(code: string): boolean {
  return /^08[0-9A-Z]{3}$/.test(code) || /^57P0[1-3]$/.test(code) || code === '53300';
}

/** Messages of pg, pg-pool and ioredis when the server is unreachable (they carry no code). */
const OUTAGE_MESSAGES = [
  /^Connection terminated/i, // pg: the server closed the socket
  /timeout exceeded when trying to connect/i, // pg-pool: no connection within the acquire timeout
  /Client has encountered a connection error/i, // pg
  /^Connection is closed\.?$/i, // ioredis
  /Stream isn't writeable and enableOfflineQueue options is false/i, // ioredis, no offline queue
  /Reached the max retries per request limit/i, // ioredis MaxRetriesPerRequestError
  /^Command timed out$/i, // ioredis commandTimeout
];

function looksLikeOutage(error: OutageCandidate): boolean {
  if (error.name === 'MaxRetriesPerRequestError') return true;
  if (typeof error.code === 'string') {
    if (NETWORK_CODES.has(error.code) || isUnavailableSqlState(error.code)) return true;
  }
  const message = typeof error.message === 'string' ? error.message : '';
  return OUTAGE_MESSAGES.some((pattern) => pattern.test(message));
}
