import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { inTransaction } from '@ttfd/database';
import { ImportError } from './import.error';
import { ImportPlan, OfferedRoleMapping } from './import-plan';
import { buildReport, ImportReport } from './import-report';
import { ImportQueue } from './import-queue';
import { ImportRoles } from './import-roles';
import { ImportRunsRepository } from './import-runs.repository';
import {
  emptyTotals,
  IMPORT_BATCH_PLAYERS,
  ImportWriter,
  identityKey,
  WriteTotals,
} from './import-writer';

export interface ExecuteOptions {
  dryRun: boolean;
  origin: 'cli' | 'api';
  fileName?: string | null;
  /** A run the API queued (its row exists); the CLI's runs are recorded here. */
  runId?: string;
  /** Write the rank-role mappings the source offers (MEE6 role rewards). */
  applyRoleRewards?: boolean;
  factor?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface ExecuteResult {
  runId: string | null;
  report: ImportReport;
}

/**
 * One import, from a validated plan to its report: a dry run reads only (who exists, which
 * rows are already there); a real run records itself in `import_runs`, writes through the bulk
 * path with progress, and asks role convergence for the guild members it changed.
 */
@Injectable()
export class ImportService {
  private readonly logger = new Logger('Imports');

  constructor(
    private readonly dataSource: DataSource,
    private readonly writer: ImportWriter,
    private readonly runs: ImportRunsRepository,
    private readonly roles: ImportRoles,
    private readonly queue: ImportQueue,
  ) {}

  async execute(plan: ImportPlan, options: ExecuteOptions): Promise<ExecuteResult> {
    const applyMappings = options.applyRoleRewards === true && plan.offeredRoleMappings.length > 0;
    if (applyMappings) await this.checkMappings(plan.offeredRoleMappings);
    if (options.dryRun) {
      const totals = await this.preview(plan);
      return {
        runId: null,
        report: buildReport(plan, totals, { dryRun: true, roleMappingsApplied: false }),
      };
    }
    const runId =
      options.runId ??
      (await this.runs.create({
        source: plan.source,
        origin: options.origin,
        fileName: options.fileName ?? null,
        options: { factor: options.factor, applyRoleRewards: options.applyRoleRewards },
        status: 'running',
      }));
    const total = plan.players.length;
    try {
      await this.runs.progress(runId, 0, total);
      if (applyMappings) await this.applyMappings(plan.offeredRoleMappings);
      const totals = await this.writer.write(plan.players, `import-run:${runId}`, async (done) => {
        await this.runs.progress(runId, done, total);
        options.onProgress?.(done, total);
      });
      const report = buildReport(plan, totals, {
        dryRun: false,
        roleMappingsApplied: applyMappings,
      });
      report.roles = await this.requestRoles(`import-run:${runId}`, totals.entriesWritten > 0);
      await this.runs.finish(runId, report);
      this.logger.log(`import run ${runId}: ${report.summary}`);
      return { runId, report };
    } catch (error) {
      await this.runs.fail(runId, (error as Error).message);
      throw error;
    }
  }

  /**
   * Roles of the changed guild members: here when this process has the Discord gateway (the
   * worker), else through the `imports` queue for a worker that has it.
   */
  async requestRoles(
    entityId: string,
    changed: boolean,
  ): Promise<{ requested: number; note: string }> {
    if (!changed) return { requested: 0, note: 'nothing changed: no role to converge' };
    if (this.roles.canConverge()) return this.roles.request(entityId);
    try {
      await this.queue.add('imports.roles', { entityId });
      return {
        requested: 0,
        note: 'handed to the worker (imports queue): it converges the guild members changed',
      };
    } catch (error) {
      this.logger.warn(`import roles for ${entityId} not queued: ${(error as Error).message}`);
      return {
        requested: 0,
        note: `the imports queue did not answer (${(error as Error).message}): roles follow at the next reconcile`,
      };
    }
  }

  /** What a run would do, reading only. */
  private async preview(plan: ImportPlan): Promise<WriteTotals> {
    const totals = emptyTotals();
    for (let start = 0; start < plan.players.length; start += IMPORT_BATCH_PLAYERS) {
      const batch = plan.players.slice(start, start + IMPORT_BATCH_PLAYERS);
      const known: { platform: string; external_id: string }[] = await this.dataSource.query(
        `SELECT i.platform, i.external_id
           FROM unnest($1::text[], $2::text[]) AS t(platform, external_id)
           JOIN identities i ON i.platform = t.platform AND i.external_id = t.external_id`,
        [batch.map((p) => p.platform), batch.map((p) => p.externalId)],
      );
      const knownKeys = new Set(known.map((k) => `${k.platform}:${k.external_id}`));
      totals.matched += knownKeys.size;
      totals.created += batch.filter((p) => !knownKeys.has(identityKey(p))).length;
      const keys = batch.flatMap((p) => p.entries.map((e) => e.key));
      const present: { key: string }[] = await this.dataSource.query(
        `SELECT idempotency_key AS key FROM ledger_entries WHERE idempotency_key = ANY($1::text[])`,
        [keys],
      );
      totals.entriesAlreadyPresent += present.length;
    }
    return totals;
  }

  /** A role already mapped to another rank or an achievement is refused before any write. */
  private async checkMappings(offered: OfferedRoleMapping[]): Promise<void> {
    const clashes: { role: string; owner: string }[] = await this.dataSource.query(
      `SELECT t.role, 'rank ' || m.rank_id AS owner
         FROM unnest($1::smallint[], $2::text[]) AS t(rank_id, role)
         JOIN rank_role_mappings m ON m.discord_role_id = t.role AND m.rank_id <> t.rank_id
       UNION ALL
       SELECT t.role, 'achievement ' || a.achievement_code
         FROM unnest($1::smallint[], $2::text[]) AS t(rank_id, role)
         JOIN achievement_role_mappings a ON a.discord_role_id = t.role`,
      [offered.map((m) => m.rankId), offered.map((m) => m.discordRoleId)],
    );
    const seen = new Set<string>();
    for (const m of offered) {
      if (seen.has(m.discordRoleId)) {
        clashes.push({ role: m.discordRoleId, owner: 'two MEE6 rewards' });
      }
      seen.add(m.discordRoleId);
    }
    if (clashes.length > 0) {
      throw new ImportError(
        'IMPORT_INVALID',
        `role_rewards: role ${clashes[0].role} is already mapped to ${clashes[0].owner}; ` +
          'free it first or import without --apply-role-rewards',
        { where: 'role_rewards', field: 'role.id' },
      );
    }
  }

  private async applyMappings(offered: OfferedRoleMapping[]): Promise<void> {
    await inTransaction(this.dataSource, undefined, async (tx) => {
      await tx.manager.query(
        `UPDATE rank_role_mappings m SET discord_role_id = t.role, updated_at = now()
           FROM unnest($1::smallint[], $2::text[]) AS t(rank_id, role)
          WHERE m.rank_id = t.rank_id`,
        [offered.map((m) => m.rankId), offered.map((m) => m.discordRoleId)],
      );
    });
  }
}
