import { Injectable } from '@nestjs/common';
import { Clock } from '@ttfd/clock';
import { AppConfig } from '@ttfd/config';
import { currentCorrelationId } from '@ttfd/common';
import { Tx } from '@ttfd/database';
import { hasPlatformEffect } from '../processing/event-notifications';
import { NewSyncEvent, SyncEventType } from './sync-event';
import { OutboxDispatcher } from './outbox.dispatcher';
import { SyncObservers } from '../ports/sync-observers';

/**
 * Appends outbox rows inside the caller's transaction, so an event exists exactly when the
 * change it reports does, and hands their ids to the dispatcher once that transaction commits.
 * Times come from the Clock (not SQL now()): claims, relay and lag compare them with it.
 * Each row keeps the correlation id of the work that caused it, for the worker's log lines.
 * Rows with no platform effect (`xp.changed`, `balance.changed`) are written completed and
 * never dispatched: a record of the change, not work for the pipeline.
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
    const rows: { id: string; type: SyncEventType; status: string }[] = await tx.manager.query(
      `INSERT INTO sync_events (type, source, account_id, ledger_entry_id, idempotency_key, payload,
                                status, completed_at, max_attempts, next_attempt_at, created_at,
                                updated_at, correlation_id)
       SELECT t.type, t.source, t.account_id, t.ledger_entry_id, t.idempotency_key, t.payload,
              CASE WHEN t.effect THEN 'pending' ELSE 'completed' END,
              CASE WHEN t.effect THEN NULL ELSE $9::timestamptz END,
              $8::integer, $9::timestamptz, $9::timestamptz, $9::timestamptz, $10::text
         FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::jsonb[],
                     $7::boolean[])
              AS t(type, source, account_id, ledger_entry_id, idempotency_key, payload, effect)
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING id, type, status`,
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
      ],
    );
    if (rows.length > 0) {
      const pending = rows.filter((row) => row.status === 'pending');
      const done = rows.filter((row) => row.status !== 'pending');
      tx.afterCommit(() => {
        this.observers.eventsCreated(rows.map((row) => row.type));
        if (done.length > 0) this.observers.eventsCompleted(done.map((row) => row.type));
        if (pending.length > 0) this.dispatcher.dispatch(pending.map((row) => String(row.id)));
      });
    }
    return rows.map((row) => String(row.id));
  }
}
