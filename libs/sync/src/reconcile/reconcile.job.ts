import { Injectable, Logger } from '@nestjs/common';
import { Job } from 'bullmq';
import { Clock } from '@ttfd/clock';
import { JobHandler } from '../queues/job-handler';
import { AccountTotalsCheck } from './account-totals.check';
import { MemberRolesCheck } from './member-roles.check';
import { ReadCountersCheck } from './read-counters.check';
import { ReconcileAlerts } from './reconcile-alerts';
import { ReconcileReportsRepository } from './reconcile-reports.repository';
import { ReconcileScope } from './reconcile-scope';
import { addOutcome, emptyTally, ReconcileTally } from './reconcile-tally';
import { SeasonScoresCheck } from './season-scores.check';

export type ReconcileMode = 'full' | 'incremental';

export interface ReconcileJobData {
  trigger: 'schedule' | 'manual';
  /** Unset: a manual run is full, a scheduled run incremental. */
  mode?: ReconcileMode;
}

/**
 * Flow 4: finds and repairs drift. Two kinds of run, named in the report's `mode`:
 * - full (a manual run, or `mode: 'full'`): totals against ledger sums and stored rank against
 *   XP for every account in keyset batches (AccountTotalsCheck), every season score
 *   (SeasonScoresCheck), and the counter read models (ReadCountersCheck);
 * - incremental (the schedule): only the accounts whose ledger changed since the watermark plus
 *   the rolling full pass's next slice (ReconcileScope); the counters once per rolling cycle.
 * Both then check every guild member's managed roles (MemberRolesCheck). Each run leaves a
 * report in reconcile_reports (ReconcileReportsRepository); a job id that completed never
 * runs again.
 */
@Injectable()
@JobHandler('reconcile.run')
export class ReconcileJob {
  private readonly logger = new Logger('Reconcile');

  constructor(
    private readonly accounts: AccountTotalsCheck,
    private readonly seasonScores: SeasonScoresCheck,
    private readonly readCounters: ReadCountersCheck,
    private readonly memberRoles: MemberRolesCheck,
    private readonly scope: ReconcileScope,
    private readonly reports: ReconcileReportsRepository,
    private readonly alerts: ReconcileAlerts,
    private readonly clock: Clock,
  ) {}

  async handle(data: ReconcileJobData, job: Job): Promise<ReconcileTally | null> {
    const jobId = job.id ?? `reconcile-unknown-${this.clock.nowMs()}`;
    const mode: ReconcileMode = data.mode ?? (data.trigger === 'manual' ? 'full' : 'incremental');
    if (!(await this.reports.start(jobId, data.trigger, mode))) return null; // this slot already ran
    const tally = emptyTally();
    try {
      if (mode === 'full') await this.fullPass(tally);
      else await this.incrementalPass(tally);
      await this.memberRoles.run(tally);
      await this.reports.save(jobId, 'completed', tally, null);
      this.logger.log(
        `Reconcile ${jobId}: checked ${JSON.stringify(tally.checked)}, drifted ${JSON.stringify(
          tally.drifted,
        )}, fixed ${JSON.stringify(tally.fixed)}, ${tally.alerts.length} alert(s)`,
      );
      return tally;
    } catch (error) {
      await this.alerts.raise(tally, {
        kind: 'reconcile_failed',
        message: `Reconcile ${jobId} failed: ${(error as Error).message}`,
      });
      await this.reports.save(jobId, 'failed', tally, (error as Error).message);
      throw error;
    }
  }

  private async fullPass(tally: ReconcileTally): Promise<void> {
    const highest = await this.scope.highestLedgerId();
    await this.accounts.run(tally);
    addOutcome(tally, 'seasonScores', await this.seasonScores.run());
    addOutcome(tally, 'counters', await this.readCounters.run());
    await this.scope.fullPassDone(highest);
  }

  /** What changed since the watermark, plus the rolling full pass's next slice. */
  private async incrementalPass(tally: ReconcileTally): Promise<void> {
    const scope = await this.scope.incremental();
    const accountIds = [...new Set([...scope.changed, ...scope.rolling])];
    tally.checked.accountsChanged = scope.changed.length;
    tally.checked.accountsRolling = scope.rolling.length;
    await this.accounts.runFor(accountIds, tally);
    addOutcome(tally, 'seasonScores', await this.seasonScores.runFor(accountIds));
    if (scope.cycleEnds) {
      tally.checked.rollingCycleEnded = 1;
      addOutcome(tally, 'counters', await this.readCounters.run());
    }
    await scope.advance();
  }
}
