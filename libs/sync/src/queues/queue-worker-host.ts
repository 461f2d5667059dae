import { Logger } from '@nestjs/common';
import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { describeError, ThrottledLog } from '@ttfd/common';

const logger = new Logger('BullMQ');
/** Shared by the three workers: a dead Redis makes all of them complain at once. */
const repeated = new ThrottledLog(logger);

/**
 * A BullMQ worker with an `'error'` listener. Without one, BullMQ's emitter prints the raw
 * multi-line stack to stderr, outside the JSON log (a flushed Redis: "Missing key for job …
 * moveToFinished"). These are transport troubles the outbox recovers from (the sweep
 * wakes the lanes from Postgres), so they are warnings, once a minute per queue and kind.
 */
export abstract class QueueWorkerHost extends WorkerHost {
  @OnWorkerEvent('error')
  onWorkerError(error: Error): void {
    const name = this.worker.name;
    repeated.warn(
      `${name} ${error.message.slice(0, 40)}`,
      `Worker of queue ${name}: ${describeError(error)}`,
    );
  }
}
