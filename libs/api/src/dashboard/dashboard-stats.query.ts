import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@ttfd/clock';
import { AppConfig } from '@ttfd/config';
import { communityCountSql } from '@ttfd/sync';
import { CommunityOverviewModel } from './dashboard.models';

interface OverviewRow {
  players: string | null;
  linked: string | null;
  xp_today: string | null;
  buckets: number[] | null;
  completed: string[] | null;
  lag_p95: (number | null)[] | null;
}

/**
 * Read-only aggregates the dashboard's overview needs beyond `syncStats`: who plays, how many
 * linked, what was earned today, and completed events and lag per bucket, in one statement (one
 * round trip was most of the cost). Player counts come from the `community_counts` read model
 * (kept by triggers with every account and identity change; communityCountSql sums its slots); today's XP and the series are index-only ranges bounded by the
 * window (ledger_entries_time_idx, sync_events_completed_idx), never the whole history.
 */
@Injectable()
export class DashboardStatsQuery {
  private readonly timeZone: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.timeZone = config.communityTimeZone;
  }

  async overview(hours: number, bucketMinutes: number): Promise<CommunityOverviewModel> {
    const now = this.clock.now();
    const bucketMs = bucketMinutes * 60_000;
    // Buckets aligned to the bucket size so a refresh does not shift every point.
    const last = Math.floor(now.getTime() / bucketMs) * bucketMs;
    const count = Math.ceil((hours * 60) / bucketMinutes);
    const first = last - (count - 1) * bucketMs;
    const [row]: OverviewRow[] = await this.dataSource.query(
      `SELECT
         ${communityCountSql('players')} AS players,
         ${communityCountSql('linked_players')} AS linked,
         -- "Today" is the community's day (the one daily rewards use), taken from the app clock.
         (SELECT sum(xp_delta) FROM ledger_entries
           WHERE xp_delta > 0
             AND created_at >= (date_trunc('day', $1::timestamptz AT TIME ZONE $2) AT TIME ZONE $2)
             AND created_at <= $1::timestamptz) AS xp_today,
         series.buckets, series.completed, series.lag_p95
       FROM (SELECT array_agg(bucket) AS buckets, array_agg(completed) AS completed,
                    array_agg(p95) AS lag_p95
               FROM (SELECT
                       -- date_part (double precision), not extract (numeric): half the time per row.
                       floor(date_part('epoch', completed_at) * 1000 / $4) AS bucket,
                       count(*) AS completed,
                       -- Lag of processed events only: rows written completed (no platform
                       -- effect) have no lag to speak of.
                       percentile_cont(0.95) WITHIN GROUP (
                         ORDER BY date_part('epoch', completed_at - created_at) * 1000)
                         FILTER (WHERE attempts > 0) AS p95
                       FROM sync_events
                      WHERE status = 'completed' AND completed_at >= $3 AND completed_at <= $1
                      GROUP BY 1) buckets) series`,
      [now, this.timeZone, new Date(first), bucketMs],
    );
    const total = Number(row.players ?? 0);
    const linked = Number(row.linked ?? 0);
    const byBucket = new Map(
      (row.buckets ?? []).map((bucket, i) => [
        Number(bucket) * bucketMs,
        { completed: Number(row.completed![i]), p95: row.lag_p95![i] },
      ]),
    );
    return {
      players: total,
      linkedPlayers: linked,
      linkedShare: total === 0 ? 0 : linked / total,
      xpAwardedToday: Number(row.xp_today ?? 0),
      bucketMinutes,
      series: Array.from({ length: count }, (_, i) => {
        const at = first + i * bucketMs;
        const point = byBucket.get(at);
        return {
          at: new Date(at),
          completed: point?.completed ?? 0,
          lagP95Ms: point?.p95 === null || point?.p95 === undefined ? null : Math.round(point.p95),
        };
      }),
    };
  }
}
