import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../lib/redis-server';

const ROOT = join(__dirname, '..', '..');
/** The built application, as `npm run start:prod` runs it (`npm run build` makes it). */
export const BUILT_MAIN = join(ROOT, 'dist', 'apps', 'server', 'src', 'main.js');

// Whatever ends the drill process, its application processes end with it.
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * One application process of a drill: the built app (`node dist/apps/server/src/main.js`, as
 * `npm run start:prod`), its roles from APP_ROLES, on its own loopback port.
 */
export class AppProcess {
  private child?: ChildProcess;
  private output = '';
  url = '';

  constructor(
    readonly label: string,
    private readonly env: Record<string, string>,
  ) {}

  async start(timeoutMs = 90_000): Promise<void> {
    if (!existsSync(BUILT_MAIN)) {
      throw new Error(`${BUILT_MAIN} is missing: run npm run build (npm run test:faults does)`);
    }
    const port = await freePort();
    this.url = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, [BUILT_MAIN], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, ...this.env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    live.add(child);
    // Keep the tail only: enough to explain a failure.
    const keep = (chunk: Buffer): void => {
      this.output = (this.output + chunk.toString()).slice(-4_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('exit', () => {
      live.delete(child);
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
