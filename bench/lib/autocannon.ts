import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/** The part of autocannon's --json output we read. */
interface AutocannonJson {
  requests: { average: number };
  latency: { p50: number; p99: number };
  errors: number;
  non2xx: number;
}

const BIN = join(__dirname, '..', '..', 'node_modules', '.bin', 'autocannon');

/**
 * Loads `url` with autocannon in a process of its own (so the load generator does not share
 * the server's event loop) at a fixed number of connections for `seconds`.
 */
export function loadTest(options: {
  url: string;
  connections: number;
  seconds: number;
  method?: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
}): Promise<LoadResult> {
  const args = ['--json', '-c', String(options.connections), '-d', String(options.seconds)];
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    args.push('-H', `${name}=${value}`);
  }
  if (options.method === 'POST') {
    args.push('-m', 'POST', '-H', 'content-type=application/json', '-b', options.body ?? '');
  }
  args.push(options.url);
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited with ${code}`));
      const json = JSON.parse(stdout) as AutocannonJson;
      resolve({
        requestsPerSecond: Math.round(json.requests.average),
        p50: json.latency.p50,
        p99: json.latency.p99,
        errors: json.errors,
        non2xx: json.non2xx,
      });
    });
  });
}
