import { Processor } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { AppConfig } from '@ttfd/config';
import { JobHandlerRegistry } from './job-handler.registry';
import { QueueWorkerHost } from './queue-worker-host';

/** The `sync` queue: dispatches by job name to the registered handler. */
@Processor('sync')
export class SyncProcessor extends QueueWorkerHost {
  private tuned = false;

  constructor(
    private readonly handlers: JobHandlerRegistry,
    private readonly config: AppConfig,
  ) {
    super();
  }

  process(job: Job): Promise<unknown> {
    // The decorator's options are static and the worker exists only once Nest has started:
    // the configured concurrency is applied with the first job (BullMQ applies it live).
    if (!this.tuned) {
      this.tuned = true;
      this.worker.concurrency = this.config.env.SYNC_WORKER_CONCURRENCY;
    }
    return this.handlers.run('sync', job);
  }
}

/** The `reconcile` queue: one run at a time per worker (runs are heavy and rare). */
@Processor('reconcile')
export class ReconcileProcessor extends QueueWorkerHost {
  constructor(private readonly handlers: JobHandlerRegistry) {
    super();
  }

  process(job: Job): Promise<unknown> {
    return this.handlers.run('reconcile', job);
  }
}

/** The `cleanup` queue. */
@Processor('cleanup')
export class CleanupProcessor extends QueueWorkerHost {
  constructor(private readonly handlers: JobHandlerRegistry) {
    super();
  }

  process(job: Job): Promise<unknown> {
    return this.handlers.run('cleanup', job);
  }
}
