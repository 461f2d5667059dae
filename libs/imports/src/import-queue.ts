import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { JobsOptions, Queue } from 'bullmq';
import { AppConfig } from '@ttfd/config';
import { redisOptions, warnOnConnectionErrors } from '@ttfd/database';

export const IMPORT_QUEUE = 'imports';

export interface ImportJobs {
  /** Run an uploaded file (import_runs.upload). */
  'imports.run': { runId: string };
  /** Ask bulk role convergence for the players a run (or its revert) changed. */
  'imports.roles': { entityId: string };
}
export type ImportJobName = keyof ImportJobs;

/** One import at a time per worker, no BullMQ retry: the run row records the failure. */
const OPTIONS: JobsOptions = {
  attempts: 1,
  removeOnComplete: { age: 7 * 24 * 3600, count: 1_000 },
  removeOnFail: { age: 14 * 24 * 3600, count: 1_000 },
};

/** Producer of the `imports` queue (API replicas and the CLI; the worker role consumes it). */
@Injectable()
export class ImportQueue implements OnApplicationShutdown {
  private queue?: Queue;

  constructor(private readonly config: AppConfig) {}

  async add<N extends ImportJobName>(name: N, data: ImportJobs[N]): Promise<void> {
    // BullMQ job ids are strings without colons.
    const id = `${name}-${Object.values(data).join('-')}`.replace(/[^a-zA-Z0-9_.-]/g, '-');
    await this.producer().add(name, data, { ...OPTIONS, jobId: id });
  }

  private producer(): Queue {
    this.queue ??= warnOnConnectionErrors(
      new Queue(IMPORT_QUEUE, {
        connection: redisOptions(this.config.redis.url),
        prefix: this.config.redis.prefix,
      }),
      `BullMQ queue ${IMPORT_QUEUE} (producer)`,
    );
    return this.queue;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue?.close().catch(() => undefined);
  }
}
