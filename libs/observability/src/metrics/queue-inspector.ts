import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { AppConfig } from '@ttfd/config';
import { redisOptions, warnOnConnectionErrors } from '@ttfd/database';

/** The BullMQ queues of ARCHITECTURE.md (libs/sync owns them; we only count their jobs). */
export const MONITORED_QUEUES = ['sync', 'reconcile', 'cleanup'] as const;
export type MonitoredQueue = (typeof MONITORED_QUEUES)[number];

export const QUEUE_STATES = [
  'waiting',
  'active',
  'delayed',
  'failed',
  'completed',
  'prioritized',
] as const;
export type QueueState = (typeof QUEUE_STATES)[number];

export type QueueCounts = Record<QueueState, number>;

/**
 * Read-only handles on the queues, opened lazily with the same prefix as the sync lib's, so
 * that counting works in every role (an API replica has no workers) without depending on
 * which module registered the queues.
 */
@Injectable()
export class QueueInspector implements OnApplicationShutdown {
  private readonly queues = new Map<MonitoredQueue, Queue>();

  constructor(private readonly config: AppConfig) {}

  async counts(): Promise<Record<MonitoredQueue, QueueCounts>> {
    const entries = await Promise.all(
      MONITORED_QUEUES.map(async (name) => {
        const raw = await this.queue(name).getJobCounts(...QUEUE_STATES);
        const counts = Object.fromEntries(
          QUEUE_STATES.map((state) => [state, raw[state] ?? 0]),
        ) as QueueCounts;
        return [name, counts] as const;
      }),
    );
    return Object.fromEntries(entries) as Record<MonitoredQueue, QueueCounts>;
  }

  private queue(name: MonitoredQueue): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      // A scrape or an admin call reports its own failure; the listener, the connection's.
      queue = warnOnConnectionErrors(
        new Queue(name, {
          connection: redisOptions(this.config.redis.url),
          prefix: this.config.redis.prefix,
        }),
        `BullMQ queue ${name} (metrics)`,
      );
      this.queues.set(name, queue);
    }
    return queue;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.queues.values()].map((queue) => queue.close()));
  }
}
