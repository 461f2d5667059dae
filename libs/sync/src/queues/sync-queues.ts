import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { currentCorrelationId } from '@ttfd/common';
import { AppConfig } from '@ttfd/config';
import { redisOptions, warnOnConnectionErrors } from '@ttfd/database';
import { JOB_OPTIONS, JOB_QUEUE, JobDataMap, JobName, QueueName } from './sync-jobs';

/**
 * The producer side of the three queues, for every role (an API replica enqueues a reconcile,
 * any process that awards dispatches outbox rows). Its connections fail fast (no offline
 * queue) and every add has a timeout, so a dead Redis costs a caller at most that timeout and
 * never an award: the sweep wakes the lanes from Postgres. Workers use their own blocking
 * connections (BullModule.forRootAsync in the worker role).
 */
@Injectable()
export class SyncQueues implements OnApplicationShutdown {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(private readonly config: AppConfig) {}

  async add<N extends JobName>(
    name: N,
    data: JobDataMap[N],
    jobId: string | null,
    options: { delay?: number; deduplication?: { id: string; ttlMs: number } } = {},
  ): Promise<void> {
    const queue = this.queue(JOB_QUEUE[name]);
    // Whoever enqueues (an admin request, a cron run) is the job's cause. Not for lane wake-ups:
    // one serves events of many causes, and each event row carries its own.
    const correlationId = name === 'sync.lane' ? undefined : currentCorrelationId();
    const payload = correlationId ? { ...data, correlationId } : data;
    const timeoutMs = this.config.env.OUTBOX_ENQUEUE_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        queue.add(name, payload, {
          ...JOB_OPTIONS[name],
          jobId: jobId ?? undefined,
          delay: options.delay,
          deduplication: options.deduplication
            ? { id: options.deduplication.id, ttl: options.deduplication.ttlMs }
            : undefined,
        }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () =>
              reject(
                new Error(
                  `enqueue of ${jobId ?? options.deduplication?.id ?? name} timed out after ${timeoutMs} ms`,
                ),
              ),
            timeoutMs,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** For tests and admin views: the BullMQ queue itself. */
  queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      // Callers see their own failures through add(); the listener reports the connection.
      queue = warnOnConnectionErrors(
        new Queue(name, {
          connection: redisOptions(this.config.redis.url),
          prefix: this.config.redis.prefix,
        }),
        `BullMQ queue ${name} (producer)`,
      );
      this.queues.set(name, queue);
    }
    return queue;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(
      [...this.queues.values()].map((queue) => queue.close().catch(() => undefined)),
    );
    this.queues.clear();
  }
}
