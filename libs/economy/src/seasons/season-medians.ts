import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@ttfd/clock';

/** A season by id, or whichever season is open. */
export type SeasonKey = number | 'open';

/**
 * Each season's median XP, the hint a place needs to count from the smaller side of the board
 * (seasonPlace in places.sql.ts). Kept in process and refreshed in the background at most once a
 * minute per season, so a place stays one statement: a hint that is stale, missing or belongs to
 * the season before only makes that count longer, never wrong.
 */
@Injectable()
export class SeasonMedians implements OnModuleDestroy {
  static readonly REFRESH_MS = 60_000;

  private readonly logger = new Logger(SeasonMedians.name);
  private readonly known = new Map<SeasonKey, { median: string | null; at: number }>();
  private readonly refreshing = new Map<SeasonKey, Promise<void>>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** The last median read (a bigint as text; null before the first), refreshing it when old. */
  hint(season: SeasonKey): string | null {
    const known = this.known.get(season);
    if (!known || this.clock.nowMs() - known.at >= SeasonMedians.REFRESH_MS) {
      void this.refresh(season);
    }
    return known?.median ?? null;
  }

  /**
   * Reads the median now (one walk of `season_scores_rank_idx` to the middle participant); a
   * failure keeps the last median and is logged. Joins a refresh already under way.
   */
  refresh(season: SeasonKey): Promise<void> {
    const running = this.refreshing.get(season);
    if (running) return running;
    const started = this.clock.nowMs();
    const done = this.readMedian(season)
      .then((median) => {
        this.known.set(season, { median, at: started });
      })
      .catch((error: Error) => {
        this.logger.warn(`Median of season ${season} not read: ${error.message}`);
      })
      .finally(() => this.refreshing.delete(season));
    this.refreshing.set(season, done);
    return done;
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.refreshing.values());
  }

  private async readMedian(season: SeasonKey): Promise<string | null> {
    const rows: { median: string | null }[] = await this.dataSource.query(
      `SELECT (SELECT o.xp FROM season_scores o WHERE o.season_id = s.id ORDER BY o.xp DESC
                OFFSET (SELECT COALESCE(sum(c.n), 0) FROM season_participant_counts c
                         WHERE c.season_id = s.id) / 2
                LIMIT 1) AS median
         FROM seasons s WHERE ${season === 'open' ? `s.status = 'open'` : 's.id = $1'}`,
      season === 'open' ? [] : [season],
    );
    return rows[0]?.median === null || rows[0]?.median === undefined
      ? null
      : String(rows[0].median);
  }
}
