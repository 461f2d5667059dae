import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@ttfd/clock';
import { AppConfig } from '@ttfd/config';
import { mutateReturning, preparedStatement } from '@ttfd/database';
import { SyncEventType } from '../outbox/sync-event';
import { NotifierPlatform } from '../ports/notifier';
import { leasesMembers, SyncLane } from '../lanes/sync-lanes';
import { EarnedState } from '../roles/earned-state';
import { NotificationRow } from './notification-fan-out';
import { failureRecord } from './sync-failure';
import {
  claimStatement,
  COMMITS_WITHOUT_FLUSH,
  leaseEnd,
  settleStatement,
} from './sync-statements';

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
  /** The Discord member whose lease the claim took (null: the account has no Discord identity). */
  member: string | null;
  /** What the account earns, read in the claim: rank, achievement codes, mapping version. */
  earned: EarnedState;
  /** Since the row's first claim (the database's clock): bounds a Discord DM's retries. */
  sinceFirstAttemptMs: number;
  /** The account turned direct messages off (`accounts.dm_opt_out`), read in the claim. */
  dmOptOut: boolean;
  /**
   * The member's stored roles (`discord_member_roles`), which the claim took: marked unknown
   * until the settle stores what the convergence left (BatchAppliedRoles). Null: not known.
   */
  storedRoles: string[] | null;
}

export interface EventDone {
  id: string;
  /** The attempt number this worker claimed: a settle is fenced by it. */
  attempts: number;
  note: string | null;
}

export interface EventFailure {
  id: string;
  /** The attempt number this worker claimed (fencing, as for completed rows). */
  attempts: number;
  error: string;
  /** How long after the settle (the database's clock) the next attempt is due. */
  retryInMs: number;
  /** Platforms this attempt told (kept for the retry, which skips them). */
  delivered?: NotifierPlatform[];
  /** No retry: failed at once, whatever attempts are left. */
  final?: boolean;
}

export interface SettleResult {
  /** Failed rows with their new status; a retried one with how long until it is due. */
  failed: { id: string; status: 'pending' | 'failed'; retryInMs: number }[];
  /** Whether the lane still had due rows (e.g. of a member this batch held): claim again. */
  moreDue: boolean;
  /** Lanes that got new notification rows from this settle (to wake). */
  notified: SyncLane[];
  /** How many notification rows it wrote (a parent settled before wrote them already). */
  notificationsWritten: number;
}

/**
 * The outbox row as a state machine: pending -> processing (leased) -> completed | failed.
 * Every time that decides whether a row is due or a lease is live is the database's clock
 * (`now()`, `clock_timestamp()`), never a process's: workers on several machines agree. A
 * claimed row's `next_attempt_at` is its lease's end, so "due" is the same range for a pending
 * row and for one whose worker died (index `sync_events_lane_due_idx`).
 */
@Injectable()
export class SyncEventRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /**
   * Claims up to `limit` due rows of `lane` in one statement, for `holder` (one batch):
   * `FOR UPDATE SKIP LOCKED` leaves rows another claim is taking; each row's Discord member is
   * leased to the holder (`sync_member_leases`, taken only when free, expired or already the
   * holder's), and rows whose member is leased elsewhere are left pending: one convergence
   * per member at a time across every process (role lanes only: a message lane converges
   * nobody). Sets the row's first attempt time once. Returns what the effects need: identities,
   * the account's rank and achievements with the mapping version, the platforms already told,
   * and the leased members' stored roles, taken (marked unknown) in the same statement: a crash
   * before the settle leaves them unknown, so the next convergence reads the member.
   */
  async claim(lane: SyncLane, holder: string, limit: number): Promise<ClaimedEvent[]> {
    const statement = claimStatement(lane, limit);
    const rows: {
      id: string;
      type: SyncEventType;
      account_id: string | null;
      payload: Record<string, unknown>;
      attempts: number;
      max_attempts: number;
      correlation_id: string | null;
      delivered_platforms: NotifierPlatform[] | null;
      member: string | null;
      rank_id: number | null;
      achievement_codes: string[] | null;
      mapping_version: string;
      identities: EventIdentity[];
      since_first_attempt_ms: number;
      dm_opt_out: boolean;
      stored_roles: string[] | null;
    }[] = await preparedStatement(this.dataSource, statement.name, statement.text, [
      this.config.env.SYNC_LEASE_MS,
      this.clock.now(),
      ...(leasesMembers(lane) ? [holder] : []),
    ]);
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
        member: row.member,
        earned: {
          rankId: row.rank_id === null ? null : Number(row.rank_id),
          achievementCodes: row.achievement_codes ?? [],
          mappingVersion: row.mapping_version,
        },
        sinceFirstAttemptMs: Number(row.since_first_attempt_ms),
        dmOptOut: row.dm_opt_out,
        storedRoles: row.stored_roles,
      }))
      .sort((a, b) => Number(a.id) - Number(b.id));
  }

  /**
   * Settles a batch in one statement: completed rows (`note`, e.g. member gone, lands in
   * last_error), failed rows back to pending `retryInMs` after the database's now (or `failed`
   * once their attempts are used up), and the holder's member leases released. Fenced by the
   * attempt number each row was claimed with: a worker whose lease ran out and whose row was
   * claimed again settles nothing (the newer claim owns the row). Writes the batch's
   * notification rows (`notifications`, one per platform told; a key already written is
   * skipped), and the members' roles the batch's convergences left (`appliedRoles`), for the
   * members whose lease it still held (a holder whose lease ran out stores nothing: the newer
   * holder's claim took them). Also answers whether the lane still has due rows, so the claimer
   * goes on without waiting for a wake-up.
   */
  async settle(
    lane: SyncLane,
    holder: string,
    done: EventDone[],
    failures: EventFailure[],
    notifications: NotificationRow[] = [],
    appliedRoles: { member: string; roleIds: string[] }[] = [],
  ): Promise<SettleResult> {
    if (!leasesMembers(lane) && (notifications.length > 0 || appliedRoles.length > 0)) {
      throw new Error(`lane ${lane} converges no member: it writes no messages or roles`);
    }
    const statement = settleStatement(lane);
    const now = this.clock.now();
    const [row]: {
      failed: { id: string; status: string; retry_in_ms: number }[] | null;
      more_due: boolean;
      notified: SyncLane[];
      written: string;
    }[] = await preparedStatement(this.dataSource, statement.name, statement.text, [
      done.map((d) => d.id),
      done.map((d) => d.attempts),
      done.map((d) => d.note),
      now,
      failures.map((f) => f.id),
      failures.map((f) => f.attempts),
      failures.map((f) => f.error),
      failures.map((f) => Math.max(0, Math.round(f.retryInMs))),
      failures.map((f) => (f.delivered ?? []).join(',')),
      failures.map((f) => f.final ?? false),
      failures.map((f) => JSON.stringify(failureRecord(f.error.slice(0, 2000)))),
      ...(leasesMembers(lane)
        ? [
            holder,
            notifications.map((n) => n.accountId),
            notifications.map((n) => n.idempotencyKey),
            notifications.map((n) => JSON.stringify(n.payload)),
            notifications.map((n) => n.correlationId),
            notifications.map((n) => n.lane),
            this.config.env.SYNC_MAX_ATTEMPTS,
            appliedRoles.map((a) => a.member),
            appliedRoles.map((a) => JSON.stringify(a.roleIds)),
          ]
        : []),
    ]);
    return {
      failed: (row.failed ?? []).map((f) => ({
        id: String(f.id),
        status: f.status === 'failed' ? ('failed' as const) : ('pending' as const),
        retryInMs: Number(f.retry_in_ms),
      })),
      moreDue: row.more_due,
      notified: row.notified ?? [],
      notificationsWritten: Number(row.written),
    };
  }

  /**
   * Pushes the lease of rows still being worked on, and of their members (the holder's): a
   * batch that waits on Discord's rate limits keeps its rows, and only a dead worker's become
   * due again. Fenced like `settle`. Returns how many rows this worker still holds.
   */
  async renewLease(claims: { id: string; attempts: number }[], holder?: string): Promise<number> {
    if (claims.length === 0) return 0;
    const [row]: { held: string }[] = await preparedStatement(
      this.dataSource,
      'sync.renew-lease',
      `WITH held AS (
         UPDATE sync_events e
            SET lease_until = ${leaseEnd('$3')},
                next_attempt_at = ${leaseEnd('$3')}, updated_at = $4
           FROM unnest($1::bigint[], $2::integer[]) AS c(id, attempts)
          WHERE e.id = c.id AND e.status = 'processing' AND e.attempts = c.attempts
          RETURNING e.id),
       members AS (
         UPDATE sync_member_leases SET lease_until = ${leaseEnd('$3')}
          WHERE holder = $5
          RETURNING discord_user_id)
       SELECT count(*) AS held FROM held WHERE ${COMMITS_WITHOUT_FLUSH}`,
      [
        claims.map((c) => c.id),
        claims.map((c) => c.attempts),
        this.config.env.SYNC_LEASE_MS,
        this.clock.now(),
        holder ?? null,
      ],
    );
    return Number(row.held);
  }

  /**
   * The lanes with due rows (pending and due, or leased by a worker that died): what the sweep
   * wakes. One index probe per lane.
   */
  async dueLanes(lanes: readonly SyncLane[]): Promise<SyncLane[]> {
    const rows: { lane: SyncLane }[] = await this.dataSource.query(
      `SELECT l.lane FROM unnest($1::text[]) AS l(lane)
        WHERE EXISTS (SELECT 1 FROM sync_events e
                       WHERE e.lane = l.lane AND e.status IN ('pending', 'processing')
                         AND e.next_attempt_at <= now())`,
      [lanes],
    );
    return rows.map((row) => row.lane);
  }

  /**
   * Failed rows (or the given ones) back to pending and due, with a fresh attempt budget and a
   * fresh retry window (an admin's decision: a Discord DM retried after Discord forgot its
   * nonce may be sent twice).
   */
  async resetFailed(ids?: string[]): Promise<{ id: string; lane: SyncLane }[]> {
    const rows: { id: string; lane: SyncLane }[] = await mutateReturning(
      this.dataSource,
      `UPDATE sync_events
          SET status = 'pending', attempts = 0, next_attempt_at = now(), lease_until = NULL,
              first_attempt_at = NULL, updated_at = $1
        WHERE status = 'failed' AND ($2::bigint[] IS NULL OR id = ANY($2::bigint[]))
        RETURNING id, lane`,
      [this.clock.now(), ids ?? null],
    );
    return rows
      .map((row) => ({ id: String(row.id), lane: row.lane }))
      .sort((a, b) => Number(a.id) - Number(b.id));
  }
}
