import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@ttfd/clock';
import { AppConfig } from '@ttfd/config';
import { JobHandler } from '../queues/job-handler';

export interface CleanupJobData {
  day: string;
}

export interface CleanupResult {
  completedEvents: number;
  linkCodes: number;
  linkAttempts: number;
  abandonedGames: number;
  finishedGames: number;
  closedVoiceSessions: number;
  reconcileReports: number;
  /** Rows of the overview's counters (xp_earned_counts, sync_completion_counts). */
  overviewCounters: number;
}

const DAY_MS = 24 * 3600 * 1000;
const MAX_BATCHES = 10_000;

/**
 * Flow 5: deletes what is past retention, in bounded batches (short statements, no long lock
 * on a busy table), each found through an index on its time column. Failed events stay until an
 * admin handles them; the ledger, identities and achievements are never deleted (they are the
 * record). What is kept and for how long: docs/performance.md "Retention".
 */
@Injectable()
@JobHandler('cleanup.run')
export class CleanupJob {
  private readonly logger = new Logger('Cleanup');

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async handle(): Promise<CleanupResult> {
    const env = this.config.env;
    const now = this.clock.nowMs();
    const at = (msAgo: number) => new Date(now - msAgo);
    const result: CleanupResult = {
      completedEvents: await this.inBatches(
        `DELETE FROM sync_events WHERE id IN (
           SELECT id FROM sync_events WHERE status = 'completed' AND completed_at < $1 LIMIT $2)`,
        at(env.CLEANUP_EVENT_RETENTION_DAYS * DAY_MS),
      ),
      linkCodes: await this.inBatches(
        `DELETE FROM link_codes WHERE id IN (
           SELECT id FROM link_codes WHERE expires_at < $1 LIMIT $2)`,
        at(0),
      ),
      linkAttempts: await this.inBatches(
        `DELETE FROM link_attempts WHERE id IN (
           SELECT id FROM link_attempts WHERE attempted_at < $1 LIMIT $2)`,
        at(env.CLEANUP_LINK_ATTEMPT_RETENTION_HOURS * 3600 * 1000),
      ),
      abandonedGames: await this.inBatches(
        `UPDATE game_sessions SET status = 'abandoned', finished_at = $3, updated_at = $3
          WHERE id IN (SELECT id FROM game_sessions
                        WHERE status = 'active' AND updated_at < $1 LIMIT $2)`,
        at(env.CLEANUP_GAME_IDLE_MINUTES * 60 * 1000),
        new Date(now),
      ),
      finishedGames: await this.inBatches(
        `DELETE FROM game_sessions WHERE id IN (
           SELECT id FROM game_sessions
            WHERE status <> 'active' AND finished_at < $1 LIMIT $2)`,
        at(env.CLEANUP_GAME_RETENTION_DAYS * DAY_MS),
      ),
      closedVoiceSessions: await this.inBatches(
        `DELETE FROM voice_sessions WHERE id IN (
           SELECT id FROM voice_sessions WHERE status = 'closed' AND closed_at < $1 LIMIT $2)`,
        at(env.CLEANUP_VOICE_SESSION_RETENTION_DAYS * DAY_MS),
      ),
      reconcileReports: await this.inBatches(
        `DELETE FROM reconcile_reports WHERE id IN (
           SELECT id FROM reconcile_reports WHERE status <> 'running' AND started_at < $1 LIMIT $2)`,
        at(env.CLEANUP_REPORT_RETENTION_DAYS * DAY_MS),
      ),
      // The overview reads today's XP and a window of completions: kept as long as the events.
      overviewCounters:
        (await this.inBatches(
          `DELETE FROM xp_earned_counts WHERE (bucket, slot) IN (
             SELECT bucket, slot FROM xp_earned_counts WHERE bucket < $1 LIMIT $2)`,
          at(env.CLEANUP_EVENT_RETENTION_DAYS * DAY_MS),
        )) +
        (await this.inBatches(
          `DELETE FROM sync_completion_counts WHERE (minute, lag_bin, slot) IN (
             SELECT minute, lag_bin, slot FROM sync_completion_counts WHERE minute < $1 LIMIT $2)`,
          at(env.CLEANUP_EVENT_RETENTION_DAYS * DAY_MS),
        )),
    };
    this.logger.log(`Cleanup: ${JSON.stringify(result)}`);
    return result;
  }

  /** Runs `sql` (with $1 = cutoff, $2 = batch size) until a batch touches fewer rows. */
  private async inBatches(sql: string, cutoff: Date, ...extra: unknown[]): Promise<number> {
    const size = this.config.env.CLEANUP_BATCH_SIZE;
    let total = 0;
    for (let i = 0; i < MAX_BATCHES; i += 1) {
      const [, affected] = (await this.dataSource.query(`${sql}`, [cutoff, size, ...extra])) as [
        unknown,
        number,
      ];
      total += affected;
      if (affected < size) break;
    }
    return total;
  }
}
