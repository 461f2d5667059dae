import { SetMetadata } from '@nestjs/common';
import { Job } from 'bullmq';
import { JobDataMap, JobName } from './sync-jobs';

export const JOB_HANDLER_METADATA = 'ttfd:job-handler';

/** Marks the one class that handles a job name (checked at boot by JobHandlerRegistry). */
export const JobHandler = (name: JobName): ClassDecorator =>
  SetMetadata(JOB_HANDLER_METADATA, name);

export interface JobHandlerInstance<N extends JobName = JobName> {
  handle(data: JobDataMap[N], job: Job<JobDataMap[N]>): Promise<unknown>;
}
