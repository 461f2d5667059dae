/**
 * `npm run import -- mee6|csv|stage1|revert|export ...` (docs/imports.md). Validates the whole
 * source before the application even starts: a malformed file exits 1 with the line or index
 * and the field, and nothing is written. Runs against DATABASE_URL (or the embedded PGlite under
 * DATA_DIR: stop the app first, it is single-process).
 */
import 'reflect-metadata';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { once } from 'node:events';
import { INestApplication } from '@nestjs/common';
import { isDomainError } from '@ttfd/common';
import { AppConfig, loadConfig } from '@ttfd/config';
import {
  formatReport,
  ImportPlan,
  ImportRevert,
  ImportService,
  PlayersCsvExport,
  planFromFile,
  readStage1,
} from '@ttfd/imports';
import { createApp } from '@ttfd/server';
import { ImportCommand, parseImportArgs, UsageError } from './import-args';

function progressBar(done: number, total: number): void {
  const width = 30;
  const filled = total === 0 ? width : Math.round((done / total) * width);
  const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} players`;
  if (process.stderr.isTTY) process.stderr.write(`\r${line}${done === total ? '\n' : ''}`);
  else process.stderr.write(`${line}\n`);
}

async function plan(command: ImportCommand, config: AppConfig): Promise<ImportPlan | null> {
  switch (command.kind) {
    case 'mee6':
    case 'csv':
      return planFromFile(command.kind, await readFile(command.file, 'utf8'), {
        guildId: config.env.DISCORD_GUILD_ID ?? null,
        factor: command.factor,
      });
    case 'stage1':
      return readStage1(command.databaseUrl, command.schema);
    case 'revert':
    case 'export':
      return null;
  }
}

async function withApp<T>(
  config: AppConfig,
  work: (app: INestApplication) => Promise<T>,
): Promise<T> {
  const app = await createApp({ config });
  await app.init();
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}

async function main(): Promise<number> {
  let command: ImportCommand;
  try {
    command = parseImportArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  // The API role only: no bot connects, no worker takes jobs from this process.
  const config = loadConfig({ LOG_LEVEL: 'warn', ...process.env, APP_ROLES: 'api' });
  const validated = await plan(command, config);
  return withApp(config, async (app) => {
    switch (command.kind) {
      case 'mee6':
      case 'csv':
      case 'stage1': {
        const { runId, report } = await app.get(ImportService).execute(validated!, {
          dryRun: command.dryRun,
          origin: 'cli',
          fileName: command.kind === 'stage1' ? null : command.file,
          factor: command.kind === 'mee6' ? command.factor : undefined,
          applyRoleRewards: command.kind === 'mee6' && command.applyRoleRewards,
          onProgress: progressBar,
        });
        process.stdout.write(`${formatReport(report)}\n`);
        if (runId)
          process.stdout.write(`Run ${runId}: undo with npm run import -- revert ${runId}\n`);
        return 0;
      }
      case 'revert': {
        const report = await app.get(ImportRevert).revert(command.runId);
        const roles = await app
          .get(ImportService)
          .requestRoles(`import-revert:${command.runId}`, report.entriesReverted > 0);
        process.stdout.write(
          `Run ${report.runId} reverted: ${report.entriesReverted} rows compensated on ${report.accounts} profiles, ` +
            `${report.xpRemoved} XP and ${report.coinsRemoved} coins removed` +
            (report.clampedAccounts > 0
              ? `, ${report.clampedAccounts} profiles had spent part of it (stopped at 0)`
              : '') +
            `; roles: ${roles.note}\n`,
        );
        return 0;
      }
      case 'export': {
        const out = createWriteStream(command.file);
        let rows = -1;
        for await (const chunk of app.get(PlayersCsvExport).lines()) {
          rows += chunk.split('\n').length - 1;
          if (!out.write(chunk)) await once(out, 'drain');
        }
        out.end();
        await once(out, 'finish');
        process.stdout.write(`Exported ${rows} profiles to ${command.file}\n`);
        return 0;
      }
    }
  });
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    if (isDomainError(error) || error instanceof UsageError) {
      process.stderr.write(`Import refused, nothing was written: ${error.message}\n`);
      process.exit(1);
    }
    process.stderr.write(`import failed: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
