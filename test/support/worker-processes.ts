import { existsSync } from 'node:fs';
import { Pool } from 'pg';
import { FakeDiscord, type FakeDiscordOptions } from '../fakes/discord';
import { AppProcess, BUILT_MAIN } from './app-process';
import { createRedisPrefix, createTestDatabase, type TestDatabase } from './test-database';
import { TEST_REDIS_URL } from './test-env';

export interface WorkerProcessesOptions {
  /** Names the processes and their secrets, e.g. 'worker-kill'. */
  label: string;
  /** How many worker processes (default 2). */
  count?: number;
  /** On top of the defaults below: the test's intervals and sizes (SYNC_*, DISCORD_*). */
  env?: Record<string, string>;
  discord?: FakeDiscordOptions;
  /**
   * Runs once the database and the fake exist, before any process starts: what a process reads
   * once at boot (role mappings) must be written here.
   */
  beforeStart?: (fleet: WorkerProcesses) => Promise<void>;
}

/**
 * Worker processes of the built app (`npm run build` first; `APP_ROLES=worker,scheduler`, so
 * each also sweeps) against one fake Discord over HTTP, reached through the real Discord
 * adapter's REST ports, with a database and a Redis prefix of their own. `stop` kills every
 * process that started and drops the rest, also after a start that failed halfway: call it from
 * afterAll whatever happened in beforeAll.
 */
export class WorkerProcesses {
  readonly workers: AppProcess[] = [];
  private fakeDiscord?: FakeDiscord;
  private testDatabase?: TestDatabase;
  private redis?: ReturnType<typeof createRedisPrefix>;
  private testPool?: Pool;

  constructor(private readonly options: WorkerProcessesOptions) {}

  get discord(): FakeDiscord {
    return started(this.fakeDiscord);
  }

  get database(): TestDatabase {
    return started(this.testDatabase);
  }

  /** The test's own connections to the processes' database. */
  get pool(): Pool {
    return started(this.testPool);
  }

  /** The processes' Redis key prefix (QUEUE_PREFIX): everything of theirs in Redis is under it. */
  get redisPrefix(): string {
    return started(this.redis).prefix;
  }

  async start(): Promise<void> {
    if (!existsSync(BUILT_MAIN)) throw new Error(`${BUILT_MAIN} is missing: run npm run build`);
    this.fakeDiscord = await FakeDiscord.start(this.options.discord);
    this.testDatabase = await createTestDatabase();
    this.redis = createRedisPrefix();
    this.testPool = new Pool({ connectionString: this.testDatabase.url, max: 2 });
    await this.options.beforeStart?.(this);
    const env = this.env(this.fakeDiscord, this.testDatabase.url, this.redis.prefix);
    const count = this.options.count ?? 2;
    for (let i = 1; i <= count; i += 1) {
      this.workers.push(new AppProcess(`${this.options.label} worker ${i}`, env));
    }
    await Promise.all(this.workers.map((worker) => worker.start()));
  }

  /** Every process killed (SIGTERM, then SIGKILL), the fake stopped, database and keys dropped. */
  async stop(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.stop()));
    await this.fakeDiscord?.stop();
    await this.testPool?.end();
    await this.testDatabase?.drop();
    await this.redis?.cleanup();
  }

  private env(discord: FakeDiscord, databaseUrl: string, prefix: string): Record<string, string> {
    const label = this.options.label;
    return {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_SIZE: '4',
      MIGRATIONS_RUN: 'false',
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      ADMIN_TOKEN: `${label}-admin-token-0123456789`,
      SESSION_SECRET: `${label}-session-secret-0123456789abcdef0123`,
      // A worker without the discord role reaches Discord over REST (DiscordModule.restPorts).
      APP_ROLES: 'worker,scheduler',
      DISCORD_BOT_TOKEN: discord.token,
      DISCORD_GUILD_ID: discord.guild.id,
      DISCORD_API_BASE: discord.apiBase,
      ...this.options.env,
    };
  }
}

function started<T>(part: T | undefined): T {
  if (part === undefined) throw new Error('worker processes: not started');
  return part;
}
