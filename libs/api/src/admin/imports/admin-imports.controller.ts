import { mkdtempSync } from 'node:fs';
import { readFile, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Body,
  Get,
  HttpCode,
  Param,
  Post,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiOperation } from '@nestjs/swagger';
import type { Response } from 'express';
import { AppConfig } from '@ttfd/config';
import {
  ImportError,
  ImportQueue,
  ImportRevert,
  ImportRun,
  ImportRunsRepository,
  ImportService,
  planFromFile,
  PlayersCsvExport,
  RevertReport,
} from '@ttfd/imports';
import { AdminController } from '../admin-route.decorator';
import { ApiError } from '../api-error';
import { ImportRunIdParam, ImportUploadBody } from './admin-imports.dto';

/** The only route that takes a file: its own cap, far above the JSON routes' body limit. */
export const IMPORT_UPLOAD_MAX_BYTES = 50 * 1024 * 1024;

/** What multer hands over for a file written to disk. */
interface StoredUpload {
  path: string;
  originalname: string;
  size: number;
}

const UPLOAD_DIR = mkdtempSync(join(tmpdir(), 'ttfd-imports-'));

@AdminController('', 'imports')
export class AdminImportsController {
  constructor(
    private readonly imports: ImportService,
    private readonly runs: ImportRunsRepository,
    private readonly queue: ImportQueue,
    private readonly reverts: ImportRevert,
    private readonly exporter: PlayersCsvExport,
    private readonly config: AppConfig,
  ) {}

  @Post('imports')
  @HttpCode(202)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: ImportUploadBody })
  @ApiOperation({
    summary:
      'Upload a MEE6 JSON or CSV file (multipart field "file", at most 50 MB): validated at once ' +
      '(400 naming the line or index and the field, nothing written), then run by a worker; ' +
      '202 with the run id. dryRun=true answers 200 with the report and writes nothing.',
  })
  // Streamed to a temporary file by multer (never held in memory while it arrives); the cap
  // applies to this route only.
  @UseInterceptors(
    FileInterceptor('file', {
      dest: UPLOAD_DIR,
      limits: { fileSize: IMPORT_UPLOAD_MAX_BYTES, files: 1 },
    }),
  )
  async upload(
    @UploadedFile() file: StoredUpload | undefined,
    @Body() body: ImportUploadBody,
    @Res({ passthrough: true }) res: Response,
  ): Promise<{ id: string | null; status: string; report?: unknown }> {
    if (!file) throw new ApiError('BAD_REQUEST', 'Send the file as multipart field "file"');
    try {
      const content = await readFile(file.path);
      const factor = body.factor === undefined ? undefined : Number(body.factor);
      const plan = planFromFile(body.source, content.toString('utf8'), {
        guildId: this.config.env.DISCORD_GUILD_ID ?? null,
        factor,
      });
      const applyRoleRewards = body.applyRoleRewards === 'true';
      if (body.dryRun === 'true') {
        const { report } = await this.imports.execute(plan, {
          dryRun: true,
          origin: 'api',
          applyRoleRewards,
        });
        res.status(200);
        return { id: null, status: 'dry_run', report };
      }
      const id = await this.runs.create({
        source: plan.source,
        origin: 'api',
        fileName: file.originalname.slice(0, 200),
        options: { factor, applyRoleRewards },
        upload: content,
        status: 'queued',
      });
      await this.runs.progress(id, 0, plan.players.length);
      try {
        await this.queue.add('imports.run', { runId: id });
      } catch (error) {
        await this.runs.fail(id, `not queued: ${(error as Error).message}`);
        throw new ImportError(
          'IMPORT_SOURCE_UNAVAILABLE',
          'The job queue (Redis) did not answer: nothing was imported, try again',
        );
      }
      return { id, status: 'queued' };
    } finally {
      await unlink(file.path).catch(() => undefined);
    }
  }

  @Get('imports/:id')
  @ApiOperation({ summary: 'An import run: status, progress (players done of total), report' })
  async get(@Param() { id }: ImportRunIdParam): Promise<ImportRun> {
    const run = await this.runs.get(id);
    if (!run) throw new ImportError('IMPORT_NOT_FOUND', `No import run ${id}`);
    return run;
  }

  @Post('imports/:id/revert')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Undo a completed run with compensating ledger rows (import-revert:{key})',
  })
  async revert(@Param() { id }: ImportRunIdParam): Promise<RevertReport & { roles: unknown }> {
    const report = await this.reverts.revert(id);
    const roles = await this.imports.requestRoles(
      `import-revert:${id}`,
      report.entriesReverted > 0,
    );
    return { ...report, roles };
  }

  @Get('exports/players.csv')
  @ApiOperation({ summary: 'Every profile in the import CSV format (platform,external_id,...)' })
  async exportCsv(@Res() res: Response): Promise<void> {
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="players.csv"');
    for await (const chunk of this.exporter.lines()) {
      if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
    }
    res.end();
  }
}
