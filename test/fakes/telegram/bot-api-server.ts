import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ApiReply, ApiRouter } from './api-router';
import { badRequest, BotApiError, unauthorized } from './bot-api-error';
import { isRecord } from './params';
import type { UploadedFile } from './state-store';

const MAX_BODY_BYTES = 10 * 1024 * 1024;
const SHUTDOWN_GRACE_MS = 1000;

/**
 * The HTTP face of the fake: `GET|POST /bot<token>/<method>` on 127.0.0.1, parameters from the query
 * string, a JSON body or a urlencoded form, answers in the real API's envelope and status codes.
 */
export interface BotApiServerOptions {
  /** Parse multipart requests (file uploads: sendPhoto) instead of refusing them with 400. */
  acceptUploads?: boolean;
}

export class BotApiServer {
  private readonly inFlight = new Set<Promise<void>>();
  private closing = false;

  private constructor(
    private readonly server: Server,
    private readonly token: string,
    private readonly router: ApiRouter,
    private readonly options: BotApiServerOptions,
  ) {}

  static async listen(
    token: string,
    router: ApiRouter,
    options: BotApiServerOptions = {},
  ): Promise<BotApiServer> {
    const server = createServer();
    const api = new BotApiServer(server, token, router, options);
    server.on('request', (request: IncomingMessage, response: ServerResponse) =>
      api.track(api.serve(request, response)),
    );
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return api;
  }

  get url(): string {
    const address = this.server.address();
    if (address === null || typeof address === 'string')
      throw new Error('fake Telegram is not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  /**
   * Lets requests being answered finish (held polls were released by the caller), then drops every
   * connection, so neither telegraf's keep-alive sockets nor the server keep jest alive.
   */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    await Promise.race([Promise.allSettled([...this.inFlight]), unrefDelay(SHUTDOWN_GRACE_MS)]);
    this.server.closeAllConnections();
    await closed;
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const body = await readBody(request);
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
      if (download && request.method === 'GET') {
        this.serveFile(response, decodeURIComponent(download[1]), decodeURIComponent(download[2]));
        return;
      }
      const match = /^\/bot([^/]+)\/([^/]+)\/?$/.exec(url.pathname);
      if (!match || (request.method !== 'GET' && request.method !== 'POST')) {
        this.send(response, { ok: false, error_code: 404, description: 'Not Found' });
        return;
      }
      const [, token, method] = match.map((part) => decodeURIComponent(part));
      if (token !== this.token) {
        this.send(response, { ok: false, ...unauthorized().toShape() });
        return;
      }
      let params: Record<string, unknown>;
      try {
        params = await parseParams(
          request.headers['content-type'],
          body,
          url.searchParams,
          this.options.acceptUploads ?? false,
        );
      } catch (error) {
        if (!(error instanceof BotApiError)) throw error;
        this.send(response, this.router.reject(method, error));
        return;
      }
      // The client hanging up (telegraf's bot.stop() aborts its long poll) releases a held getUpdates.
      const hangUp = new AbortController();
      response.on('close', () => {
        if (!response.writableFinished) hangUp.abort();
      });
      const stormed = await this.router.stormAnswer(method, params, hangUp.signal);
      if (stormed === 'dropped') {
        response.destroy();
        return;
      }
      if (stormed) {
        this.send(response, stormed);
        return;
      }
      this.send(response, await this.router.call(method, params, { signal: hangUp.signal }));
    } catch (error) {
      const description =
        error instanceof BotApiError
          ? error.description
          : `Internal Server Error: ${String(error)}`;
      const errorCode = error instanceof BotApiError ? error.errorCode : 500;
      this.send(response, { ok: false, error_code: errorCode, description });
    }
  }

  /** `GET /file/bot<token>/<file_path>`: the stored file's bytes, or 404 as Telegram answers. */
  private serveFile(response: ServerResponse, token: string, path: string): void {
    const bytes = token === this.token ? this.router.downloadFile(path) : undefined;
    if (!bytes) {
      this.send(response, { ok: false, error_code: 404, description: 'Not Found' });
      return;
    }
    response.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': bytes.length,
    });
    response.end(bytes);
  }

  private send(response: ServerResponse, reply: ApiReply): void {
    if (response.destroyed || response.writableEnded) return;
    const payload = JSON.stringify(reply);
    response.writeHead(reply.ok ? 200 : reply.error_code, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(payload),
      // While stopping, let clients drop their keep-alive sockets instead of reusing them.
      ...(this.closing ? { connection: 'close' } : {}),
    });
    response.end(payload);
  }
}

function unrefDelay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Reads the whole body; always drained, even for requests answered with an error. */
async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new BotApiError(413, 'Request Entity Too Large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

async function parseParams(
  contentType: string | undefined,
  body: Buffer,
  query: URLSearchParams,
  acceptUploads: boolean,
): Promise<Record<string, unknown>> {
  const params: Record<string, unknown> = Object.fromEntries(query);
  if (body.length === 0) return params;
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'multipart/form-data' && acceptUploads) {
    return { ...params, ...(await parseMultipart(contentType!, body)) };
  }
  if (type.startsWith('multipart/')) {
    // telegraf switches to multipart for file uploads; the fake does not store files.
    throw badRequest(
      'multipart/form-data is not supported by the fake Telegram Bot API (file uploads are not faked); send JSON',
    );
  }
  if (type === 'application/x-www-form-urlencoded') {
    return { ...params, ...Object.fromEntries(new URLSearchParams(body.toString('utf8'))) };
  }
  if (type === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw badRequest("can't parse JSON object");
    }
    if (!isRecord(parsed)) throw badRequest("can't parse JSON object");
    return { ...params, ...parsed };
  }
  return params;
}

/** Form fields as strings, file parts as UploadedFile (what sendPhoto reads). */
async function parseMultipart(contentType: string, body: Buffer): Promise<Record<string, unknown>> {
  let form: FormData;
  try {
    form = await new Request('http://fake-telegram/', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    }).formData();
  } catch {
    throw badRequest("can't parse multipart/form-data");
  }
  const params: Record<string, unknown> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value === 'string') {
      params[key] = value;
    } else {
      const upload: UploadedFile = {
        kind: 'upload',
        filename: value.name,
        contentType: value.type,
        bytes: Buffer.from(await value.arrayBuffer()),
      };
      params[key] = upload;
    }
  }
  return params;
}
