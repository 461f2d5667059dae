import { randomBytes } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@ttfd/config';
import { LaneWakeUps } from '../lanes/lane-wake-ups';
import { SyncLane } from '../lanes/sync-lanes';
import { mutateReturning } from '@ttfd/database';
import { LeaseRenewal } from '../processing/lease-renewal';

export class MemberLeaseTimeoutError extends Error {
  constructor(discordUserId: string, waitedMs: number) {
    super(`member ${discordUserId} stayed leased for ${waitedMs} ms`);
    this.name = 'MemberLeaseTimeoutError';
  }
}

/**
 * The per-member lease (`sync_member_leases`, keyed by Discord user id) for convergences that
 * do not come from a lane: the `/sync` command and reconcile's repairs. The lane claims take
 * the same lease in their claim statement, so one member is converged by one worker at a time,
 * whoever asks. Times are the database's clock. While held, the lease is renewed every third
 * of SYNC_LEASE_MS (discord.js may wait out a 429); on release, the lanes that skipped this
 * member's due rows meanwhile are woken.
 */
@Injectable()
export class MemberLeases {
  private readonly logger = new Logger('MemberLeases');

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly wakeUps: LaneWakeUps,
  ) {}

  async withLease<T>(discordUserId: string, work: () => Promise<T>): Promise<T> {
    const holder = `direct:${process.pid}:${randomBytes(8).toString('hex')}`;
    const leaseMs = this.config.env.SYNC_LEASE_MS;
    const maxWait = this.config.env.SYNC_MEMBER_LOCK_WAIT_MS;
    const started = Date.now(); // waiting on a live holder: wall time, not domain time
    let pause = 5;
    while (!(await this.take(discordUserId, holder, leaseMs))) {
      if (Date.now() - started >= maxWait)
        throw new MemberLeaseTimeoutError(discordUserId, maxWait);
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(100, pause * 2);
    }
    const renewal = new LeaseRenewal(leaseMs, () =>
      this.dataSource
        .query(
          `UPDATE sync_member_leases
              SET lease_until = clock_timestamp() + $3::integer * interval '1 millisecond'
            WHERE discord_user_id = $1 AND holder = $2`,
          [discordUserId, holder, leaseMs],
        )
        // A failed renewal is retried at the next tick; the work goes on.
        .catch((error: Error) =>
          this.logger.debug(`lease of member ${discordUserId} not renewed: ${error.message}`),
        ),
    );
    try {
      return await work();
    } finally {
      await renewal.stop();
      await this.release(discordUserId, holder).catch((error: Error) =>
        // Harmless: the lease runs out by itself.
        this.logger.warn(`lease of member ${discordUserId} not released: ${error.message}`),
      );
    }
  }

  private async take(discordUserId: string, holder: string, leaseMs: number): Promise<boolean> {
    const rows: unknown[] = await mutateReturning(
      this.dataSource,
      `INSERT INTO sync_member_leases AS l (discord_user_id, holder, lease_until)
       VALUES ($1, $2, clock_timestamp() + $3::integer * interval '1 millisecond')
       ON CONFLICT (discord_user_id) DO UPDATE
          SET holder = excluded.holder, lease_until = excluded.lease_until
        WHERE l.lease_until < clock_timestamp()
       RETURNING l.discord_user_id`,
      [discordUserId, holder, leaseMs],
    );
    return rows.length > 0;
  }

  /** Releases the lease and wakes the lanes holding this member's due rows (skipped meanwhile). */
  private async release(discordUserId: string, holder: string): Promise<void> {
    const lanes: { lane: SyncLane }[] = await mutateReturning(
      this.dataSource,
      `WITH released AS (
         DELETE FROM sync_member_leases WHERE discord_user_id = $1 AND holder = $2
         RETURNING discord_user_id)
       SELECT DISTINCT e.lane
         FROM identities i
         JOIN sync_events e ON e.account_id = i.account_id
        WHERE i.platform = 'discord' AND i.external_id = $1
          AND e.status IN ('pending', 'processing') AND e.next_attempt_at <= now()`,
      [discordUserId, holder],
    );
    for (const { lane } of lanes) {
      await this.wakeUps
        .wake(lane)
        .catch((error: Error) =>
          this.logger.debug(`lane ${lane} not woken (${error.message}): the sweep will`),
        );
    }
  }
}
