import { Module } from '@nestjs/common';
import { EconomyModule } from '../economy.module';
import { SeasonScheduler } from './season.scheduler';

/**
 * The season schedule, for the `scheduler` role. Needs `ScheduleModule.forRoot()` imported once
 * by the application (ROLE_MODULES.scheduler).
 */
@Module({ imports: [EconomyModule], providers: [SeasonScheduler], exports: [SeasonScheduler] })
export class SeasonSchedulerModule {}
