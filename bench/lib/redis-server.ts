import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

/** A free TCP port on loopback (bind to 0, read it, close). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

// A bench or drill that dies never leaves its redis-server behind.
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * A redis-server of our own on a free port, without persistence: benches and drills may flush
 * or stop it, and the shared Redis on 6379 is never touched.
 */
export class OwnRedis {
  private child?: ChildProcess;

  private constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(port?: number): Promise<OwnRedis> {
    const redis = new OwnRedis(port ?? (await freePort()));
    await redis.startProcess();
    return redis;
  }

  /** Starts (again) on the same port: clients that retry reconnect by themselves. */
  async startProcess(): Promise<void> {
    if (this.child) return;
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    this.child = child;
    live.add(child);
    child.on('exit', () => {
      live.delete(child);
      if (this.child === child) this.child = undefined;
    });
    await this.waitUntil(true, 5_000);
  }

  /** Stops the server (SIGTERM, then SIGKILL after 3 s) and waits until it is gone. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
    await exited;
    clearTimeout(timer);
  }

  async flushAll(): Promise<void> {
    await this.withClient((client) => client.flushall());
  }

  async withClient<T>(work: (client: Redis) => Promise<T>): Promise<T> {
    // No retries: a probe of a stopped server must fail once, not reconnect forever.
    const client = new Redis({
      port: this.port,
      host: '127.0.0.1',
      lazyConnect: true,
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return await work(client);
    } finally {
      client.disconnect();
    }
  }

  private async waitUntil(up: boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const answers = await this.withClient((client) => client.ping())
        .then(() => true)
        .catch(() => false);
      if (answers === up) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`redis-server on port ${this.port} did not come ${up ? 'up' : 'down'}`);
  }
}
