import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '@ttfd/config';
import { SyncEventRepository } from '../processing/sync-event.repository';
import { chunk, syncJobId } from '../queues/sync-jobs';
import { SyncQueues } from '../queues/sync-queues';

/**
 * Flow 3. An in-process interval (not a BullMQ repeatable job: a flushed Redis would lose it)
 * re-enqueues outbox rows still pending a grace period after they were due, and rows whose
 * lease expired (a worker died), with fresh job ids. Cron only enqueues; the worker decides.
 */
@Injectable()
export class OutboxRelayCron implements OnApplicationBootstrap {
  private readonly logger = new Logger('OutboxRelay');
  private running = false;
  private lastErrorLog = 0;

  constructor(
    private readonly events: SyncEventRepository,
    private readonly queues: SyncQueues,
    private readonly scheduler: SchedulerRegistry,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const interval = setInterval(() => void this.tick(), this.config.env.SYNC_RELAY_INTERVAL_MS);
    this.scheduler.addInterval('sync-outbox-relay', interval);
  }

  /** One pass; returns how many rows it enqueued. Passes never overlap. */
  async tick(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    try {
      const ids = await this.events.findStranded(this.config.env.SYNC_RELAY_BATCH_SIZE);
      for (const batch of chunk(ids, this.config.env.SYNC_JOB_BATCH_SIZE)) {
        await this.queues.add('sync.events', { eventIds: batch }, syncJobId(batch, 'relay'));
      }
      if (ids.length > 0) this.logger.log(`Relayed ${ids.length} outbox event(s)`);
      return ids.length;
    } catch (error) {
      if (Date.now() - this.lastErrorLog > 30_000) {
        this.lastErrorLog = Date.now();
        this.logger.warn(`Relay pass failed: ${(error as Error).message}`);
      }
      return 0;
    } finally {
      this.running = false;
    }
  }
}
