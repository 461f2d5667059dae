import { Injectable } from '@nestjs/common';
import { Clock } from '@ttfd/clock';
import { AppConfig } from '@ttfd/config';
import { currentCorrelationId } from '@ttfd/common';
import { Tx } from '@ttfd/database';
import { hasPlatformEffect } from '../processing/event-notifications';
import { laneOf, SyncLane } from '../lanes/sync-lanes';
import { NewSyncEvent, SyncEventType } from './sync-event';
import { OutboxDispatcher } from './outbox.dispatcher';
import { SyncObservers } from '../ports/sync-observers';

/**
 * Appends outbox rows inside the caller's transaction, so an event exists exactly when the
 * change it reports does, and hands their ids to the dispatcher once that transaction commits.
 * Its times come from the Clock (created_at: lag and stats), except when it is due: the
 * database's `now()`, the clock every claim compares with. Its lane comes from `laneOf`.
 * Each row keeps the correlation id of the work that caused it, for the worker's log lines.
 * A row of a type with no platform effect would be written completed and never dispatched;
 * the economy writes none (`xp.changed` / `balance.changed` are no longer written: the ledger
 * row is the record of a change of totals).
 */
@Injectable()
export class OutboxWriter {
  constructor(
    private readonly dispatcher: OutboxDispatcher,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly observers: SyncObservers,
  ) {}

  async append(tx: Tx, events: NewSyncEvent[]): Promise<string[]> {
    if (events.length === 0) return [];
    const now = this.clock.now();
    const rows: WrittenSyncEvent[] = await tx.manager.query(
      `INSERT INTO sync_events (type, source, account_id, ledger_entry_id, idempotency_key, payload,
                                status, completed_at, max_attempts, next_attempt_at, created_at,
                                updated_at, correlation_id, lane)
       SELECT t.type, t.source, t.account_id, t.ledger_entry_id, t.idempotency_key, t.payload,
              CASE WHEN t.effect THEN 'pending' ELSE 'completed' END,
              CASE WHEN t.effect THEN NULL ELSE $9::timestamptz END,
              $8::integer, now(), $9::timestamptz, $9::timestamptz, $10::text, t.lane
         FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::jsonb[],
                     $7::boolean[], $11::text[])
              AS t(type, source, account_id, ledger_entry_id, idempotency_key, payload, effect,
                   lane)
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING id, type, status, lane`,
      [
        events.map((e) => e.type),
        events.map((e) => e.source),
        events.map((e) => e.accountId),
        events.map((e) => e.ledgerEntryId ?? null),
        events.map((e) => e.idempotencyKey ?? null),
        events.map((e) => JSON.stringify(e.payload)),
        events.map((e) => hasPlatformEffect(e.type)),
        this.config.env.SYNC_MAX_ATTEMPTS,
        now,
        currentCorrelationId() ?? null,
        events.map((e) => laneOf(e.type, e.payload)),
      ],
    );
    this.written(rows, tx);
    return rows.map((row) => String(row.id));
  }

  /**
   * The columns a row written by another statement needs besides its own data (the award
   * writes its outbox rows inside its one SQL statement): the attempt budget and the
   * correlation id of the work that caused it. Its times come from the Clock as in `append`
   * (due: the database's `now()`); its lane is the column's default, `roles`.
   */
  rowDefaults(): { maxAttempts: number; correlationId: string | null } {
    return {
      maxAttempts: this.config.env.SYNC_MAX_ATTEMPTS,
      correlationId: currentCorrelationId() ?? null,
    };
  }

  /** The status a new row of this type is written with: completed when it has nothing to do. */
  statusFor(type: SyncEventType): 'pending' | 'completed' {
    return hasPlatformEffect(type) ? 'pending' : 'completed';
  }

  /**
   * Hands rows that were inserted (by `append` or by another statement in the same transaction)
   * to the pipeline: counted, and the pending ones dispatched, once `tx` commits. Without `tx`
   * the statement that wrote them ran in autocommit and is already committed.
   */
  written(rows: readonly WrittenSyncEvent[], tx?: Tx): void {
    if (rows.length === 0) return;
    const handOver = () => {
      const pending = rows.filter((row) => row.status === 'pending');
      const done = rows.filter((row) => row.status !== 'pending');
      this.observers.eventsCreated(rows.map((row) => row.type));
      if (done.length > 0) this.observers.eventsCompleted(done.map((row) => row.type));
      if (pending.length > 0) {
        this.dispatcher.dispatch(
          pending.map((row) => String(row.id)),
          [...new Set(pending.map((row) => row.lane ?? 'roles'))],
        );
      }
    };
    if (tx) tx.afterCommit(handOver);
    else handOver();
  }
}

/** An outbox row as inserted: what the pipeline needs to take it over. */
export interface WrittenSyncEvent {
  id: string;
  type: SyncEventType;
  status: string;
  /** Absent from statements that leave it to the column's default (`roles`). */
  lane?: SyncLane;
}
