import { Injectable } from '@nestjs/common';
import { Clock } from '@ttfd/clock';
import { AppConfig } from '@ttfd/config';
import { currentCorrelationId } from '@ttfd/common';
import { Tx } from '@ttfd/database';
import { NewSyncEvent } from './sync-event';
import { OutboxDispatcher } from './outbox.dispatcher';
import { SyncObservers } from '../ports/sync-observers';

/**
 * Appends outbox rows inside the caller's transaction, so an event exists exactly when the
 * change it reports does, and hands their ids to the dispatcher once that transaction commits.
 * Times come from the Clock (not SQL now()): claims, relay and lag compare them with it.
 * Each row keeps the correlation id of the work that caused it, for the worker's log lines.
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
    const rows: { id: string; type: string }[] = await tx.manager.query(
      `INSERT INTO sync_events (type, source, account_id, ledger_entry_id, idempotency_key, payload,
                                max_attempts, next_attempt_at, created_at, updated_at,
                                correlation_id)
       SELECT t.*, $7::integer, $8::timestamptz, $8::timestamptz, $8::timestamptz, $9::text
         FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::jsonb[]) AS t
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING id, type`,
      [
        events.map((e) => e.type),
        events.map((e) => e.source),
        events.map((e) => e.accountId),
        events.map((e) => e.ledgerEntryId ?? null),
        events.map((e) => e.idempotencyKey ?? null),
        events.map((e) => JSON.stringify(e.payload)),
        this.config.env.SYNC_MAX_ATTEMPTS,
        this.clock.now(),
        currentCorrelationId() ?? null,
      ],
    );
    const ids = rows.map((row) => String(row.id));
    if (ids.length > 0) {
      const types = rows.map((row) => row.type);
      tx.afterCommit(() => {
        this.observers.eventsCreated(types);
        this.dispatcher.dispatch(ids);
      });
    }
    return ids;
  }
}
