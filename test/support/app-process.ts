import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
/** The built application, as `npm run start:prod` runs it (`npm run build` makes it). */
export const BUILT_MAIN = join(ROOT, 'dist', 'apps', 'server', 'src', 'main.js');
const OUTPUT_TAIL_CHARS = 8_000;

// Whatever ends the test or drill process, its application processes end with it.
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** A free TCP port on loopback (the OS picks it; closed again before it is returned). */
export function freePort(): Promise<number> {
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

/** How a child ended: its exit code, or the signal that killed it. */
export interface AppExit {
  pid: number;
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * One application process: the built app (`node dist/apps/server/src/main.js`, as
 * `npm run start:prod`), its roles from APP_ROLES, on its own loopback port. Used by the fault
 * drills (bench/faults) and by e2e tests that must see what an in-process app cannot: an exit.
 */
export class AppProcess {
  private child?: ChildProcess;
  private output = '';
  private lastExit?: AppExit;
  url = '';

  constructor(
    readonly label: string,
    private readonly env: Record<string, string>,
  ) {}

  /** The running child's pid, or undefined when it is not running. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** How the last child ended, if one did. */
  get exit(): AppExit | undefined {
    return this.lastExit;
  }

  /** The last few KB of the child's stdout and stderr, interleaved, to explain a failure. */
  get outputTail(): string {
    return this.output;
  }

  async start(timeoutMs = 90_000): Promise<void> {
    if (!existsSync(BUILT_MAIN)) {
      throw new Error(
        `${BUILT_MAIN} is missing: run npm run build (npm test and npm run test:faults do)`,
      );
    }
    const port = await freePort();
    this.url = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, [BUILT_MAIN], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, ...this.env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.lastExit = undefined;
    live.add(child);
    // Keep the tail only: enough to explain a failure.
    const keep = (chunk: Buffer): void => {
      this.output = (this.output + chunk.toString()).slice(-OUTPUT_TAIL_CHARS);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('exit', (code, signal) => {
      live.delete(child);
      this.lastExit = { pid: child.pid ?? 0, code, signal };
      if (this.child === child) this.child = undefined;
    });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!this.child) throw new Error(`${this.label} exited while starting:\n${this.output}`);
      const up = await fetch(`${this.url}/health/live`, { signal: AbortSignal.timeout(1_000) })
        .then((response) => response.ok)
        .catch(() => false);
      if (up) return;
      if (Date.now() > deadline) throw new Error(`${this.label} did not start:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** SIGKILL: no shutdown hook runs, leases stay taken, in-flight jobs are lost by BullMQ. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  async stop(): Promise<void> {
    await this.signal('SIGTERM', 15_000);
  }

  private async signal(signal: NodeJS.Signals, killAfterMs?: number): Promise<void> {
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const timer = killAfterMs ? setTimeout(() => child.kill('SIGKILL'), killAfterMs) : undefined;
    await exited;
    clearTimeout(timer);
  }
}
