import { Injectable } from '@nestjs/common';
import { Tx } from '@ttfd/database';
import { NewSyncEvent } from './sync-event';
import { OutboxDispatcher } from './outbox.dispatcher';

/**
 * Appends outbox rows inside the caller's transaction, so an event exists exactly when the
 * change it reports does, and hands their ids to the dispatcher once that transaction commits.
 */
@Injectable()
export class OutboxWriter {
  constructor(private readonly dispatcher: OutboxDispatcher) {}

  async append(tx: Tx, events: NewSyncEvent[]): Promise<string[]> {
    if (events.length === 0) return [];
    const rows: { id: string }[] = await tx.manager.query(
      `INSERT INTO sync_events (type, source, account_id, ledger_entry_id, idempotency_key, payload)
       SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::jsonb[])
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING id`,
      [
        events.map((e) => e.type),
        events.map((e) => e.source),
        events.map((e) => e.accountId),
        events.map((e) => e.ledgerEntryId ?? null),
        events.map((e) => e.idempotencyKey ?? null),
        events.map((e) => JSON.stringify(e.payload)),
      ],
    );
    const ids = rows.map((row) => String(row.id));
    if (ids.length > 0) tx.afterCommit(() => this.dispatcher.dispatch(ids));
    return ids;
  }
}
