/**
 * The REST half: a real HTTP server on loopback answering like https://discord.com/api.
 *
 * @discordjs/rest builds URLs as `${rest.api}/v10${route}`, so with `rest.api` set to
 * `http://127.0.0.1:<port>/api` every request lands under `/api/v10`. It parses a body only
 * when the content-type is JSON, which is why a 204 goes out with no content-type at all.
 *
 * Order per request, as on Discord: route lookup, authentication, injected failure (tests),
 * rate limits (global, then the route's bucket), handler. Every request is recorded, whatever its outcome.
 * A call about one member is first held for the member-call latency, and counted in flight
 * until answered (MemberCalls).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DiscordErrors, DiscordHttpError } from './discord-errors';
import type { FailureInjector } from './failures';
import type { InteractionStorm } from './interaction-storm';
import type { MemberCalls } from './member-calls';
import type { RateLimits } from './rate-limits';
import type { RestRouter, RestResponse } from './rest-router';
import type { InjectedFailure, RestCall } from './types';

export interface RestServerOptions {
  host: string;
  token: string;
  router: RestRouter;
  failures: FailureInjector;
  /** Bad answers to interaction callbacks and webhook edits while a test makes it blow. */
  storm?: InteractionStorm;
  rateLimits: RateLimits;
  /** Calls about one member in flight at once (overlaps), and the latency they are held for. */
  memberCalls?: MemberCalls;
  onCall: (call: RestCall) => void;
  onProblem: (problem: string) => void;
  /** The CDN's files under `/cdn/<path>` (avatars), by path without the query. */
  cdn?: (path: string) => Buffer | undefined;
  /** Each uploaded file of a multipart request (a rank card), with its bytes. */
  onUpload?: (upload: RestUpload) => void;
}

export interface RestUpload {
  method: string;
  path: string;
  name: string;
  bytes: Buffer;
  at: number;
}

interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  injected?: boolean;
  /** Never answered (InjectedFailure.noAnswer): the response is left open. */
  unanswered?: boolean;
}

export class RestServer {
  private constructor(
    private readonly server: Server,
    private readonly options: RestServerOptions,
  ) {}

  static async start(options: RestServerOptions): Promise<RestServer> {
    const server = createServer();
    const rest = new RestServer(server, options);
    server.on('request', (req, res) => {
      rest.handle(req, res).catch((error: unknown) => {
        options.onProblem(`REST handler crashed: ${String(error)}`);
        if (!res.headersSent)
          writeAnswer(res, {
            status: 500,
            body: { message: '500: Internal Server Error', code: 0 },
          });
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, options.host, resolve);
    });
    return rest;
  }

  /** Base of the fake CDN (DISCORD_CDN_BASE). */
  get cdnBase(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://${this.options.host}:${port}/cdn`;
  }

  /** What discord.js takes as `rest.api` (it appends `/v10` itself). */
  get apiBase(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://${this.options.host}:${port}/api`;
  }

  async stop(): Promise<void> {
    // closeAllConnections drops undici's keep-alive sockets too, so jest sees no open handle.
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake-discord');
    if (url.pathname.startsWith('/cdn/')) {
      this.serveCdn(url.pathname.slice('/cdn/'.length), res);
      return;
    }
    const versioned = /^\/api\/v(\d+)(\/.*)$/.exec(url.pathname);
    const path = (versioned?.[2] ?? url.pathname).replace(/\/+$/, '') || '/';
    // In flight from its arrival until its answer is written (see MemberCalls).
    const finished = this.options.memberCalls?.begin(path);
    try {
      await this.respond(req, res, url, versioned?.[1], path);
    } finally {
      finished?.();
    }
  }

  private async respond(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    version: string | undefined,
    path: string,
  ): Promise<void> {
    const at = Date.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const raw = await readBody(req);
    const { body, files, uploads } = await parseBody(raw, req.headers['content-type']);
    for (const upload of uploads) this.options.onUpload?.({ method, path, ...upload, at });
    const record = (status: number, injected: boolean): void =>
      this.options.onCall({
        method,
        path,
        query: Object.fromEntries(url.searchParams),
        body,
        status,
        at,
        injected,
      });

    // A storm answers before anything else, as an outage in front of Discord would.
    const storm = version === '10' ? this.options.storm?.take(method, path) : undefined;
    if (storm?.kind === 'hang') {
      record(0, true); // status 0: never answered
      await this.options.storm!.hold(res);
      return;
    }
    if (storm) {
      record(storm.status, true);
      writeAnswer(res, { status: storm.status, body: storm.body });
      return;
    }

    await this.options.memberCalls?.hold(path);
    const answer =
      version === '10'
        ? this.answer(method, path, url.searchParams, body, files, req)
        : errorAnswer(DiscordErrors.notFound());
    const reason = req.headers['x-audit-log-reason'];
    this.options.onCall({
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      body,
      status: answer.status,
      at,
      injected: answer.injected ?? false,
      ...(typeof reason === 'string' ? { auditLogReason: decodeURIComponent(reason) } : {}),
    });
    // Left open: the client times out, or stop() closes the connection.
    if (answer.unanswered) return;
    writeAnswer(res, answer);
  }

  /** Like cdn.discordapp.com: the bytes as image/png, or a bare 404. */
  private serveCdn(path: string, res: ServerResponse): void {
    const bytes = this.options.cdn?.(path);
    if (!bytes) {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.setHeader('content-type', 'image/png');
    res.setHeader('content-length', bytes.length);
    res.end(bytes);
  }

  private answer(
    method: string,
    path: string,
    query: URLSearchParams,
    body: unknown,
    files: string[],
    req: IncomingMessage,
  ): Answer {
    const resolved = this.options.router.resolve(method, path);
    if (resolved.kind === 'not-found') return errorAnswer(DiscordErrors.notFound());
    if (resolved.kind === 'method-not-allowed')
      return errorAnswer(DiscordErrors.methodNotAllowed());
    const { route, params } = resolved;

    if (route.auth && req.headers.authorization !== `Bot ${this.options.token}`) {
      return errorAnswer(DiscordErrors.unauthorized());
    }
    const routeKey = `${method} ${route.pattern}`;
    const injected = this.options.failures.take(method, path);
    if (injected && !injected.afterApplying)
      return { ...this.injectedAnswer(injected, routeKey), injected: true };

    let headers: Record<string, string> = {};
    if (route.rateLimited) {
      const verdict = this.options.rateLimits.take({
        routeKey,
        majorParameter: majorParameter(params),
        // Requests without the bot token (interaction webhooks) are outside the global limit.
        global: route.auth,
      });
      if (!verdict.allowed)
        return rateLimitedAnswer(verdict.retryAfterSeconds, verdict.global, verdict.headers);
      headers = verdict.headers;
    }
    try {
      const response: RestResponse = route.handler({ method, path, params, query, body, files });
      if (injected?.noAnswer) return { status: 0, injected: true, unanswered: true };
      if (injected) return { ...this.injectedAnswer(injected, routeKey), injected: true };
      return { ...response, headers };
    } catch (error) {
      if (error instanceof DiscordHttpError) return { ...errorAnswer(error), headers };
      this.options.onProblem(
        `${method} ${path}: ${error instanceof Error ? error.stack : String(error)}`,
      );
      return { status: 500, body: { message: '500: Internal Server Error', code: 0 }, headers };
    }
  }

  private injectedAnswer(failure: InjectedFailure, routeKey: string): Answer {
    if (failure.status === 429) {
      const retryAfter = failure.retryAfterSeconds ?? 1;
      const headers: Record<string, string> = failure.global
        ? { 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global' }
        : {
            ...this.options.rateLimits.exhaustedHeaders(routeKey, retryAfter),
            'x-ratelimit-scope': 'user',
          };
      return rateLimitedAnswer(retryAfter, failure.global ?? false, headers);
    }
    const fallback =
      failure.status >= 500 ? `${failure.status}: Internal Server Error` : 'Injected failure';
    return {
      status: failure.status,
      body: { message: failure.message ?? fallback, code: failure.code ?? 0 },
    };
  }
}

/** What @discordjs/rest groups buckets by: the guild, channel or webhook in the path. */
function majorParameter(params: Record<string, string>): string {
  if (params.guildId) return params.guildId;
  if (params.channelId) return params.channelId;
  if (params.webhookId) return `${params.webhookId}/${params.webhookToken ?? ''}`;
  return 'global';
}

function rateLimitedAnswer(
  retryAfterSeconds: number,
  global: boolean,
  headers: Record<string, string>,
): Answer {
  return {
    status: 429,
    headers: { ...headers, 'retry-after': String(retryAfterSeconds) },
    body: { message: 'You are being rate limited.', retry_after: retryAfterSeconds, global },
  };
}

function errorAnswer(error: DiscordHttpError): Answer {
  return { status: error.status, body: error.body() };
}

function writeAnswer(res: ServerResponse, answer: Answer): void {
  res.statusCode = answer.status;
  for (const [name, value] of Object.entries(answer.headers ?? {})) res.setHeader(name, value);
  if (answer.body === undefined) {
    res.end();
    return;
  }
  const text = JSON.stringify(answer.body);
  res.setHeader('content-type', 'application/json');
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req)
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

/** JSON bodies, or multipart (messages with files) whose JSON sits in `payload_json`. */
async function parseBody(
  raw: Buffer,
  contentType: string | undefined,
): Promise<{ body: unknown; files: string[]; uploads: { name: string; bytes: Buffer }[] }> {
  if (raw.length === 0) return { body: undefined, files: [], uploads: [] };
  if (contentType?.startsWith('multipart/form-data')) {
    const form = await new Request('http://fake-discord/', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: raw,
    }).formData();
    const files: string[] = [];
    const uploads: { name: string; bytes: Buffer }[] = [];
    let body: unknown;
    for (const [key, value] of form.entries()) {
      if (typeof value === 'string') {
        if (key === 'payload_json') body = safeJson(value);
      } else {
        files.push(value.name);
        uploads.push({ name: value.name, bytes: Buffer.from(await value.arrayBuffer()) });
      }
    }
    return { body, files, uploads };
  }
  return { body: safeJson(raw.toString('utf8')), files: [], uploads: [] };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
