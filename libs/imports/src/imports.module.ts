import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { SyncModule } from '@ttfd/sync';
import { IMPORT_QUEUE } from './import-queue';
import { ImportQueue } from './import-queue';
import { ImportRevert } from './import-revert';
import { ImportRoles } from './import-roles';
import { ImportRunsRepository } from './import-runs.repository';
import { ImportService } from './import.service';
import { ImportWriter } from './import-writer';
import { PlayersCsvExport } from './players-csv.export';
import { ImportsProcessor } from './imports.processor';

const PROVIDERS = [
  ImportWriter,
  ImportRunsRepository,
  ImportRoles,
  ImportQueue,
  ImportService,
  ImportRevert,
  PlayersCsvExport,
];

/** Imports for the API and the CLI: plan, write, report, revert, export. */
@Module({
  imports: [SyncModule],
  providers: PROVIDERS,
  exports: PROVIDERS,
})
export class ImportsModule {}

/**
 * The worker role's consumer of the `imports` queue. BullModule's connection comes from the
 * sync worker module (forRootAsync, loaded in the same role).
 */
@Module({
  imports: [ImportsModule, BullModule.registerQueue({ name: IMPORT_QUEUE })],
  providers: [ImportsProcessor],
})
export class ImportsWorkerModule {}
