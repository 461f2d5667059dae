import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@ttfd/clock';
import { AppConfig } from '@ttfd/config';

/** The accounts an incremental run checks, and how to move the watermark once it has. */
export interface IncrementalScope {
  /** Accounts with ledger rows past the watermark. */
  changed: string[];
  /** The rolling full pass's next slice of accounts (by id, after its cursor). */
  rolling: string[];
  /** True when this slice ended the rolling pass's cycle (the cursor goes back to the start). */
  cycleEnds: boolean;
  /** Moves the watermark and the cursor; called only after the run's checks succeeded. */
  advance(): Promise<void>;
}

/**
 * Where an incremental reconcile looks (`reconcile_state`, one row):
 * - changed accounts: those with ledger rows whose id is above `ledger_watermark`. The watermark
 *   trails by one pass (it becomes the highest id the PREVIOUS pass saw), so an award whose id
 *   was taken before a pass but which committed after that pass's scan is still seen by the
 *   next one. Found through the ledger's primary key: the cost follows the changes, not the
 *   history.
 * - a rolling slice of RECONCILE_ROLLING_ACCOUNTS accounts after `rolling_after`, wrapping to the
 *   start: drift planted in an account that did not change (a hand edit, a bug) is found within
 *   one cycle (accounts / slice runs).
 */
@Injectable()
export class ReconcileScope {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** The highest ledger id now: a full pass takes it before it starts. */
  async highestLedgerId(): Promise<string> {
    const [top]: { id: string | null }[] = await this.dataSource.query(
      `SELECT max(id) AS id FROM ledger_entries`,
    );
    return top.id ?? '0';
  }

  /**
   * A full pass checked every account after `highest` was read: the next incremental pass starts
   * there (a straggler committed during the pass caused no drift by itself; drift from anything
   * else is the rolling pass's to find).
   */
  async fullPassDone(highest: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO reconcile_state (id, ledger_watermark, ledger_seen, updated_at)
       VALUES (1, $1, $1, $2)
       ON CONFLICT (id) DO UPDATE
         SET ledger_watermark = GREATEST(reconcile_state.ledger_watermark, EXCLUDED.ledger_watermark),
             ledger_seen = GREATEST(reconcile_state.ledger_seen, EXCLUDED.ledger_seen),
             updated_at = EXCLUDED.updated_at`,
      [highest, this.clock.now()],
    );
  }

  async incremental(): Promise<IncrementalScope> {
    const [state]: { ledger_watermark: string; ledger_seen: string; rolling_after: string }[] =
      await this.dataSource.query(
        `SELECT ledger_watermark, ledger_seen, rolling_after FROM reconcile_state WHERE id = 1`,
      );
    const watermark = state?.ledger_watermark ?? '0';
    const seen = state?.ledger_seen ?? '0';
    const highest = await this.highestLedgerId();
    const changed: { account_id: string }[] = await this.dataSource.query(
      `SELECT DISTINCT account_id FROM ledger_entries WHERE id > $1 ORDER BY account_id`,
      [watermark],
    );

    const slice = this.config.env.RECONCILE_ROLLING_ACCOUNTS;
    const rollingAfter = state?.rolling_after ?? '0';
    const rolling: { id: string }[] =
      slice === 0
        ? []
        : await this.dataSource.query(
            `SELECT id FROM accounts WHERE merged_into IS NULL AND id > $1 ORDER BY id LIMIT $2`,
            [rollingAfter, slice],
          );
    const cycleEnds = slice > 0 && rolling.length < slice;
    const nextAfter = cycleEnds ? '0' : String(rolling[rolling.length - 1]?.id ?? rollingAfter);

    return {
      changed: changed.map((row) => String(row.account_id)),
      rolling: rolling.map((row) => String(row.id)),
      cycleEnds,
      advance: async () => {
        await this.dataSource.query(
          `INSERT INTO reconcile_state (id, ledger_watermark, ledger_seen, rolling_after,
                                        rolling_started_at, updated_at)
           VALUES (1, $1, $2, $3, $4, $4)
           ON CONFLICT (id) DO UPDATE
             SET ledger_watermark = GREATEST(reconcile_state.ledger_watermark, EXCLUDED.ledger_watermark),
                 ledger_seen = GREATEST(reconcile_state.ledger_seen, EXCLUDED.ledger_seen),
                 rolling_after = EXCLUDED.rolling_after,
                 rolling_started_at = CASE WHEN EXCLUDED.rolling_after = 0 AND $5
                                           THEN EXCLUDED.rolling_started_at
                                           ELSE COALESCE(reconcile_state.rolling_started_at,
                                                         EXCLUDED.rolling_started_at) END,
                 updated_at = EXCLUDED.updated_at`,
          [seen, highest, nextAfter, this.clock.now(), cycleEnds],
        );
      },
    };
  }
}
