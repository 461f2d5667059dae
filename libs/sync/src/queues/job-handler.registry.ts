import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { Job } from 'bullmq';
import { withCorrelation } from '@ttfd/common';
import { SyncObservers } from '../ports/sync-observers';
import { JOB_HANDLER_METADATA, JobHandlerInstance } from './job-handler';
import { JOB_NAMES, JOB_QUEUE, JobName, QueueName } from './sync-jobs';

/**
 * Finds the `@JobHandler` classes of this process and dispatches jobs to them. The boot fails
 * unless every job name has exactly one handler: a job nobody handles would sit in Redis
 * forever, and two handlers would make the outcome depend on provider order.
 */
@Injectable()
export class JobHandlerRegistry implements OnApplicationBootstrap {
  private handlers?: Map<JobName, JobHandlerInstance>;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
    private readonly observers: SyncObservers,
  ) {}

  onApplicationBootstrap(): void {
    this.load();
  }

  async run(queue: QueueName, job: Job): Promise<unknown> {
    const name = job.name as JobName;
    if (JOB_QUEUE[name] !== queue)
      throw new Error(`job ${job.name} does not belong to queue ${queue}`);
    const handler = this.load().get(name);
    if (!handler) throw new Error(`no handler for job ${job.name}`);
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    // The job runs in the correlation of whoever enqueued it (an admin request), else in the
    // job's own; outbox events bring their own ids for their effects.
    const data = job.data as { correlationId?: unknown };
    const correlationId =
      typeof data?.correlationId === 'string' ? data.correlationId : `job-${queue}-${job.id}`;
    try {
      const result = await withCorrelation(correlationId, () =>
        handler.handle(job.data as never, job as never),
      );
      this.observers.jobFinished(queue, name, seconds(), 'completed');
      return result;
    } catch (error) {
      this.observers.jobFinished(queue, name, seconds(), 'failed');
      throw error;
    }
  }

  private load(): Map<JobName, JobHandlerInstance> {
    if (this.handlers) return this.handlers;
    const found = new Map<JobName, JobHandlerInstance[]>();
    for (const wrapper of this.discovery.getProviders()) {
      const type = wrapper.metatype;
      if (!type || !wrapper.instance || typeof type !== 'function') continue;
      const name = this.reflector.get<JobName | undefined>(JOB_HANDLER_METADATA, type);
      if (!name) continue;
      found.set(name, [...(found.get(name) ?? []), wrapper.instance as JobHandlerInstance]);
    }
    const problems = [
      ...JOB_NAMES.filter((name) => (found.get(name)?.length ?? 0) !== 1).map(
        (name) => `${name} has ${found.get(name)?.length ?? 0} handlers`,
      ),
      ...[...found.keys()]
        .filter((name) => !(JOB_NAMES as readonly string[]).includes(name))
        .map((name) => `${name} is not a known job name`),
    ];
    if (problems.length > 0) {
      throw new Error(`Every job name needs exactly one handler: ${problems.join('; ')}`);
    }
    this.handlers = new Map([...found].map(([name, list]) => [name, list[0]]));
    return this.handlers;
  }
}
