import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@ttfd/clock';
import { AppConfig } from '@ttfd/config';
import { SyncEventType } from '../outbox/sync-event';
import { NotifierPlatform } from '../ports/notifier';
import { mutateReturning } from '../sql';
import { failureRecord } from './sync-failure';

/** A platform identity the event's effects may address. */
export interface EventIdentity {
  accountId: string;
  platform: 'telegram' | 'discord';
  externalId: string;
}

export interface ClaimedEvent {
  id: string;
  type: SyncEventType;
  accountId: string | null;
  payload: Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
  /** Of the request, update or Discord event that caused it (null: none, or older rows). */
  correlationId: string | null;
  /** The identities of its account, and for an unlink those of the Telegram side too. */
  identities: EventIdentity[];
  /** Platforms an earlier attempt already told: a retry does not tell them again. */
  deliveredPlatforms: NotifierPlatform[];
}

export interface EventFailure {
  id: string;
  /** The attempt number this worker claimed (fencing, as in `complete`). */
  attempts: number;
  error: string;
  /** When the next attempt is due (ignored when the row has no attempts left). */
  nextAttemptAt: Date;
  /** Platforms this attempt told (kept for the retry, which skips them). */
  delivered?: NotifierPlatform[];
}

/** The outbox row as a state machine: pending -> processing (leased) -> completed | failed. */
@Injectable()
export class SyncEventRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /**
   * Claims the rows that are due (or whose lease expired) among `ids`, in one conditional
   * UPDATE: a duplicate job, or a job for a row another worker holds, claims nothing. The same
   * statement reads the identities the effects address: one round trip, not two.
   */
  async claim(ids: string[]): Promise<ClaimedEvent[]> {
    const now = this.clock.now();
    const leaseUntil = new Date(now.getTime() + this.config.env.SYNC_LEASE_MS);
    const rows: {
      id: string;
      type: SyncEventType;
      account_id: string | null;
      payload: Record<string, unknown>;
      attempts: number;
      max_attempts: number;
      correlation_id: string | null;
      delivered_platforms: NotifierPlatform[] | null;
      identities: { accountId: string; platform: 'telegram' | 'discord'; externalId: string }[];
    }[] = await mutateReturning(
      this.dataSource,
      `WITH claimed AS (
         UPDATE sync_events
            SET status = 'processing', lease_until = $3, attempts = attempts + 1, updated_at = $2
          WHERE id = ANY($1::bigint[])
            AND ((status = 'pending' AND next_attempt_at <= $2)
              OR (status = 'processing' AND lease_until < $2))
          RETURNING id, type, account_id, payload, attempts, max_attempts, correlation_id,
                    delivered_platforms)
       SELECT c.*,
              coalesce((SELECT json_agg(json_build_object('accountId', i.account_id::text,
                                                          'platform', i.platform,
                                                          'externalId', i.external_id))
                          FROM identities i
                         WHERE i.account_id = ANY(ARRAY[
                                 c.account_id,
                                 CASE WHEN c.type = 'account.unlinked'
                                       AND c.payload->>'telegramAccountId' ~ '^[0-9]{1,18}$'
                                      THEN (c.payload->>'telegramAccountId')::bigint END])),
                       '[]'::json) AS identities
         FROM claimed c`,
      [ids, now, leaseUntil],
    );
    return rows
      .map((row) => ({
        id: String(row.id),
        type: row.type,
        accountId: row.account_id === null ? null : String(row.account_id),
        payload: row.payload ?? {},
        attempts: Number(row.attempts),
        maxAttempts: Number(row.max_attempts),
        correlationId: row.correlation_id,
        identities: row.identities,
        deliveredPlatforms: row.delivered_platforms ?? [],
      }))
      .sort((a, b) => Number(a.id) - Number(b.id));
  }

  /**
   * Completes rows in one statement; `note` (member gone, no gateway) lands in last_error.
   * Fenced by the attempt number this worker claimed: a worker whose lease ran out and whose
   * row was claimed again settles nothing (the newer claim owns the row).
   */
  async complete(done: { id: string; attempts: number; note: string | null }[]): Promise<void> {
    if (done.length === 0) return;
    await this.dataSource.query(
      `UPDATE sync_events e
          SET status = 'completed', completed_at = $4, updated_at = $4, lease_until = NULL,
              last_error = d.note
         FROM unnest($1::bigint[], $2::integer[], $3::text[]) AS d(id, attempts, note)
        WHERE e.id = d.id AND e.status = 'processing' AND e.attempts = d.attempts`,
      [
        done.map((d) => d.id),
        done.map((d) => d.attempts),
        done.map((d) => d.note),
        this.clock.now(),
      ],
    );
  }

  /**
   * Pushes the lease of rows still being worked on: a job that waits on a member lock or on
   * Discord's rate limits keeps its rows, and the relay re-enqueues only a dead worker's.
   * Fenced like `complete`. Returns how many rows this worker still holds.
   */
  async renewLease(claims: { id: string; attempts: number }[]): Promise<number> {
    if (claims.length === 0) return 0;
    const now = this.clock.now();
    const rows: unknown[] = await mutateReturning(
      this.dataSource,
      `UPDATE sync_events e
          SET lease_until = $3, updated_at = $4
         FROM unnest($1::bigint[], $2::integer[]) AS c(id, attempts)
        WHERE e.id = c.id AND e.status = 'processing' AND e.attempts = c.attempts
        RETURNING e.id`,
      [
        claims.map((c) => c.id),
        claims.map((c) => c.attempts),
        new Date(now.getTime() + this.config.env.SYNC_LEASE_MS),
        now,
      ],
    );
    return rows.length;
  }

  /**
   * Back to pending with the next attempt's time, or `failed` once attempts are used up.
   * Returns each row with its new status, and when a retried one is due.
   */
  async fail(
    failures: EventFailure[],
  ): Promise<{ id: string; status: 'pending' | 'failed'; nextAttemptAt: Date }[]> {
    if (failures.length === 0) return [];
    const rows: { id: string; status: string; next_attempt_at: Date }[] = await mutateReturning(
      this.dataSource,
      `UPDATE sync_events e
          SET status = CASE WHEN e.attempts >= e.max_attempts THEN 'failed' ELSE 'pending' END,
              next_attempt_at = CASE WHEN e.attempts >= e.max_attempts THEN e.next_attempt_at
                                     ELSE f.next_at END,
              last_error = left(f.error, 2000), failure = f.failure,
              lease_until = NULL, updated_at = $4,
              delivered_platforms = ARRAY(
                SELECT DISTINCT p
                  FROM unnest(e.delivered_platforms || string_to_array(f.delivered, ',')) AS p
                 ORDER BY p)
         FROM unnest($1::bigint[], $2::text[], $3::timestamptz[], $5::integer[], $6::text[],
                     $7::jsonb[])
              AS f(id, error, next_at, attempts, delivered, failure)
        WHERE e.id = f.id AND e.status = 'processing' AND e.attempts = f.attempts
        RETURNING e.id, e.status, e.next_attempt_at`,
      [
        failures.map((f) => f.id),
        failures.map((f) => f.error),
        failures.map((f) => f.nextAttemptAt),
        this.clock.now(),
        failures.map((f) => f.attempts),
        failures.map((f) => (f.delivered ?? []).join(',')),
        failures.map((f) => JSON.stringify(failureRecord(f.error.slice(0, 2000)))),
      ],
    );
    return rows.map((row) => ({
      id: String(row.id),
      status: row.status === 'failed' ? ('failed' as const) : ('pending' as const),
      nextAttemptAt: new Date(row.next_attempt_at),
    }));
  }

  /**
   * Rows the relay should (re-)enqueue: pending and due for longer than the grace period (the
   * after-commit enqueue or the delayed retry job should have run by then), or leased by a
   * worker that died.
   */
  async findStranded(limit: number): Promise<string[]> {
    const now = this.clock.now();
    const dueBefore = new Date(now.getTime() - this.config.env.SYNC_RELAY_GRACE_MS);
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM sync_events
        WHERE status IN ('pending', 'processing')
          AND ((status = 'pending' AND next_attempt_at <= $1)
            OR (status = 'processing' AND lease_until < $2))
        ORDER BY next_attempt_at, id
        LIMIT $3`,
      [dueBefore, now, limit],
    );
    return rows.map((row) => String(row.id));
  }

  /** Failed rows (or the given ones) back to pending with a fresh attempt budget. */
  async resetFailed(ids?: string[]): Promise<string[]> {
    const now = this.clock.now();
    const rows: { id: string }[] = await mutateReturning(
      this.dataSource,
      `UPDATE sync_events
          SET status = 'pending', attempts = 0, next_attempt_at = $1, lease_until = NULL,
              updated_at = $1
        WHERE status = 'failed' AND ($2::bigint[] IS NULL OR id = ANY($2::bigint[]))
        RETURNING id`,
      [now, ids ?? null],
    );
    return rows.map((row) => String(row.id)).sort((a, b) => Number(a) - Number(b));
  }
}
