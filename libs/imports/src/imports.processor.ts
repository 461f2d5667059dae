import { Injectable, Logger } from '@nestjs/common';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { AppConfig } from '@ttfd/config';
import { IMPORT_QUEUE, ImportJobs } from './import-queue';
import { ImportRoles } from './import-roles';
import { ImportRunsRepository } from './import-runs.repository';
import { planFromFile } from './import-sources';
import { ImportService } from './import.service';

/**
 * The `imports` queue, one job at a time per worker (concurrency 1): an uploaded run, then the
 * bulk role request of a run the CLI made (the CLI has no Discord gateway).
 */
@Processor(IMPORT_QUEUE, { concurrency: 1 })
@Injectable()
export class ImportsProcessor extends WorkerHost {
  private readonly logger = new Logger('Imports');

  constructor(
    private readonly runs: ImportRunsRepository,
    private readonly imports: ImportService,
    private readonly roles: ImportRoles,
    private readonly config: AppConfig,
  ) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name as keyof ImportJobs) {
      case 'imports.run':
        return this.run((job.data as ImportJobs['imports.run']).runId);
      case 'imports.roles':
        return this.roles.request((job.data as ImportJobs['imports.roles']).entityId);
      default:
        throw new Error(`No handler for job ${job.name} on queue ${IMPORT_QUEUE}`);
    }
  }

  private async run(runId: string): Promise<{ runId: string; status: string }> {
    const claimed = await this.runs.claim(runId);
    // Claimed by another delivery of this job, or no longer queued: nothing to do.
    if (!claimed) return { runId, status: 'skipped' };
    try {
      const plan = planFromFile(claimed.source, claimed.upload.toString('utf8'), {
        guildId: this.config.env.DISCORD_GUILD_ID ?? null,
        factor: claimed.options.factor,
      });
      await this.imports.execute(plan, {
        dryRun: false,
        origin: 'api',
        runId,
        factor: claimed.options.factor,
        applyRoleRewards: claimed.options.applyRoleRewards,
      });
      return { runId, status: 'completed' };
    } catch (error) {
      // execute() records its own failures; a plan refused here (the guild changed since the
      // upload) is recorded now. Warn: a refused file is the operator's to fix, not a fault.
      await this.runs.fail(runId, (error as Error).message);
      this.logger.warn(`import run ${runId} failed: ${(error as Error).message}`);
      return { runId, status: 'failed' };
    }
  }
}
