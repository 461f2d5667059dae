import { Logger } from '@nestjs/common';
import { RESTEvents, type REST, type RESTOptions } from '@discordjs/rest';
import { describeError } from '@ttfd/common';
import { outcomeOfStatus, PlatformCalls } from './platform-calls';

const logger = new Logger('DiscordRest');

/** Attempts after the first on a timeout or 5xx (discord.js retries those itself). */
const REST_RETRIES = 2;
/**
 * A rate-limit wait longer than this fails the call instead: a sync event is retried later
 * from the outbox, while a worker slot waiting a minute for one route helps nobody.
 */
const MAX_RATE_LIMIT_WAIT_MS = 15_000;

/**
 * The limits of every Discord REST client of ours (the bot's, a worker's, the alert
 * channel's): each attempt gives up after `timeoutMs` (PLATFORM_CALL_TIMEOUT_MS) and a call
 * makes at most 3 attempts (8 s each by default: 24 s), so a hung Discord never holds a
 * command or a worker for minutes.
 */
export function boundedRestOptions(timeoutMs: number): Partial<RESTOptions> {
  return {
    timeout: timeoutMs,
    retries: REST_RETRIES,
    rejectOnRateLimit: (info) => info.timeToReset > MAX_RATE_LIMIT_WAIT_MS,
  };
}

/**
 * Counts every attempt a discord.js REST client makes (the bot's and a worker's own) into
 * `ttfd_platform_api_calls_total`, and says when Discord throttles us: once a minute per route.
 * Answered attempts come from the `response` event; an attempt that got no answer (a timeout, a
 * refused connection) emits nothing, so it is counted where the request is made.
 */
export function watchRest(rest: REST, calls: PlatformCalls): REST {
  rest.on(RESTEvents.Response, (request, response) => {
    const route = routeTemplate(request.route);
    calls.record('discord', route, outcomeOfStatus(response.status));
    if (response.status === 429) {
      const retryAfter = Number(response.headers.get('retry-after') ?? 0) * 1000;
      const scope = response.headers.get('x-ratelimit-scope') ?? 'route';
      calls.throttled('discord', route, retryAfter, `429, ${scope}`);
    }
  });
  rest.on(RESTEvents.RateLimited, (info) => {
    calls.throttled(
      'discord',
      routeTemplate(info.route),
      info.timeToReset,
      info.global ? 'global limit' : `${info.scope} limit`,
    );
  });
  rest.on(RESTEvents.InvalidRequestWarning, (info) => {
    // Discord bans an IP after 10,000 invalid requests (401, 403, 429) in 10 minutes.
    logger.warn(
      `Discord counted ${info.count} invalid requests in the last 10 minutes (${Math.round(
        info.remainingTime / 1000,
      )} s left in the window): 10,000 gets the bot's IP banned`,
    );
  });
  const options = rest.options as { makeRequest: REST['options']['makeRequest'] };
  const makeRequest = options.makeRequest;
  options.makeRequest = async (url, init) => {
    try {
      return await makeRequest(url, init);
    } catch (error) {
      const route = routeTemplate(new URL(url).pathname);
      calls.record('discord', route, 'timeout');
      logger.debug(`${init.method ?? 'GET'} ${route} got no answer: ${describeError(error)}`);
      throw error;
    }
  };
  return rest;
}

/**
 * A bounded label from a path: the API version dropped, ids (snowflakes) and interaction or
 * webhook tokens replaced, so `/channels/123…/messages` and every DM channel count as one route.
 */
export function routeTemplate(path: string): string {
  return (
    safeDecode(path.split('?')[0]!)
      .replace(/^\/api(?:\/v\d+)?(?=\/)/, '')
      .replace(/\/interactions\/[^/]+\/[^/]+\/callback$/, '/interactions/:id/:token/callback')
      .replace(/\/webhooks\/([^/]+)\/[^/]+/, '/webhooks/:id/:token')
      .replace(/\/\d{5,}(?=\/|$)/g, '/:id')
      .replace(/\/reactions\/.*/, '/reactions/:reaction') || '/'
  );
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
