import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@ttfd/clock';
import { AppConfig } from '@ttfd/config';
import { communityCountSql } from '@ttfd/sync';
import { CommunityOverviewModel } from './dashboard.models';
import { lagP95 } from './lag-histogram';

interface OverviewRow {
  players: string | null;
  linked: string | null;
  xp_today: string | null;
  /** [bucket index, lag bin, events] of the window, each bucket's minutes and slots summed. */
  series: [number, number, string][] | null;
}

/**
 * Read-only aggregates the dashboard's overview needs beyond `syncStats`: who plays, how many
 * linked, what was earned today, and completed events and lag per bucket, in one statement (one
 * round trip was most of the cost). Every figure comes from a counter its writers keep in their
 * transaction (migrations 1764520000000 and 1764900000000), so the cost is bounded by the window
 * (quarter hours of a day, minutes times lag bins of the series), not by how busy it was:
 * `community_counts` (communityCountSql sums its slots), `xp_earned_counts` per quarter hour,
 * `sync_completion_counts` per minute and lag bin (p95 interpolated inside its bin: lagP95).
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
         -- "Today" is the community's day (the one daily rewards use), taken from the app clock;
         -- a day is a whole number of quarter hours in every zone.
         (SELECT sum(xp) FROM xp_earned_counts
           WHERE bucket >= (date_trunc('day', $1::timestamptz AT TIME ZONE $2) AT TIME ZONE $2)
             AND bucket <= $1::timestamptz) AS xp_today,
         (SELECT json_agg(json_build_array(i, lag_bin, n))
            FROM (SELECT floor((date_part('epoch', minute) * 1000 - $5) / $4) AS i, lag_bin,
                         sum(n) AS n
                    FROM sync_completion_counts
                   WHERE minute >= $3 AND minute <= $1
                   GROUP BY 1, 2) bins) AS series`,
      [now, this.timeZone, new Date(first), bucketMs, first],
    );
    const total = Number(row.players ?? 0);
    const linked = Number(row.linked ?? 0);
    const bins = Array.from({ length: count }, () => new Map<number, number>());
    for (const [i, bin, n] of row.series ?? []) bins[i]?.set(bin, Number(n));
    return {
      players: total,
      linkedPlayers: linked,
      linkedShare: total === 0 ? 0 : linked / total,
      xpAwardedToday: Number(row.xp_today ?? 0),
      bucketMinutes,
      series: bins.map((lags, i) => {
        const p95 = lagP95(lags);
        return {
          at: new Date(first + i * bucketMs),
          completed: [...lags.values()].reduce((sum, n) => sum + n, 0),
          lagP95Ms: p95 === null ? null : Math.round(p95),
        };
      }),
    };
  }
}
