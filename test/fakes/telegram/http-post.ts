import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { PostResult } from './fake-telegram.types';

export interface PostOptions {
  headers?: Record<string, string>;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/**
 * POSTs JSON and reads the whole answer. `agent: false` means one connection per request, closed
 * afterwards, so no pooled socket outlives a test. Self-signed certificates are accepted: the
 * target is always a server the test itself started.
 */
export function postJson(
  url: string,
  body: unknown,
  options: PostOptions = {},
): Promise<PostResult> {
  const payload = JSON.stringify(body);
  const target = new URL(url);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const requestOptions: RequestOptions = {
    method: 'POST',
    agent: false,
    timeout: timeoutMs,
    signal: options.signal,
    headers: {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(payload)),
      ...options.headers,
    },
  };
  return new Promise<PostResult>((resolve, reject) => {
    const onResponse = (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
    };
    const request =
      target.protocol === 'https:'
        ? httpsRequest(target, { ...requestOptions, rejectUnauthorized: false }, onResponse)
        : httpRequest(target, requestOptions, onResponse);
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end(payload);
  });
}
