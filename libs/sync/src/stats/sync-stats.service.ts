import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@ttfd/clock';
import { SYNC_EVENT_STATUSES, SyncEventStatus } from '../outbox/sync-event';
import { SYNC_EVENT_COUNTS_SQL, syncEventCountsOf } from './read-counters';

export interface SyncStats {
  windowMinutes: number;
  byStatus: Record<SyncEventStatus, number>;
  /** type -> status -> count */
  byType: Record<string, Partial<Record<SyncEventStatus, number>>>;
  /** Events completed per minute over the window. */
  throughputPerMinute: number;
  /** completed_at - created_at of processed events over the window, ms (null: none). */
  lagMs: { p50: number | null; p95: number | null; max: number | null };
  /** Age of the oldest pending event in ms (null when none). */
  oldestPendingAgeMs: number | null;
}

@Injectable()
export class SyncStatsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async stats(windowMinutes = 15): Promise<SyncStats> {
    const now = this.clock.now();
    const since = new Date(now.getTime() - windowMinutes * 60_000);
    // Counts from the counters kept with every write, the window's figures from indexed ranges:
    // one statement (the dashboard's overview waits for it).
    const [window]: {
      counts: { type: string; status: SyncEventStatus; n: number }[] | null;
      completed: string;
      p50: number | null;
      p95: number | null;
      max: number | null;
      oldest: Date | null;
    }[] = await this.dataSource.query(
      `SELECT
         (SELECT json_agg(c) FROM (${SYNC_EVENT_COUNTS_SQL}) c) AS counts,
         (SELECT count(*) FROM sync_events WHERE status = 'completed' AND completed_at >= $1) AS completed,
         l.p50, l.p95, l.max,
         (SELECT min(created_at) FROM sync_events WHERE status = 'pending') AS oldest
       FROM (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY lag) AS p50,
                    percentile_cont(0.95) WITHIN GROUP (ORDER BY lag) AS p95,
                    max(lag) AS max
               -- Lag of the work done: rows written completed (no platform effect, 0 attempts)
               -- would pull it towards zero.
               FROM (SELECT date_part('epoch', completed_at - created_at) * 1000 AS lag
                       FROM sync_events
                      WHERE status = 'completed' AND completed_at >= $1 AND attempts > 0) x) l`,
      [since],
    );
    const counts = syncEventCountsOf(window.counts);
    const byStatus = Object.fromEntries(SYNC_EVENT_STATUSES.map((s) => [s, 0])) as Record<
      SyncEventStatus,
      number
    >;
    const byType: SyncStats['byType'] = {};
    for (const row of counts) {
      const n = row.count;
      byStatus[row.status] += n;
      byType[row.type] = { ...byType[row.type], [row.status]: n };
    }
    const ms = (value: number | null) => (value === null ? null : Math.round(Number(value)));
    return {
      windowMinutes,
      byStatus,
      byType,
      throughputPerMinute: Number(window.completed) / windowMinutes,
      lagMs: { p50: ms(window.p50), p95: ms(window.p95), max: ms(window.max) },
      oldestPendingAgeMs: window.oldest ? now.getTime() - new Date(window.oldest).getTime() : null,
    };
  }
}
