import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { inTransaction } from '@ttfd/database';
import { OutboxWriter } from '../outbox/outbox.writer';
import { ChangeSource } from '../outbox/sync-event';
import { SyncEventRepository } from '../processing/sync-event.repository';
import { chunk, syncJobId } from '../queues/sync-jobs';
import { SyncQueues } from '../queues/sync-queues';
import { AppConfig } from '@ttfd/config';

/** What admins do with the outbox (REST, GraphQL and the bots' admin commands call this). */
@Injectable()
export class SyncAdminService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: SyncEventRepository,
    private readonly queues: SyncQueues,
    private readonly outbox: OutboxWriter,
    private readonly config: AppConfig,
  ) {}

  /** A failed event back to pending with a fresh attempt budget; false if it was not failed. */
  async retry(eventId: string): Promise<boolean> {
    const ids = await this.events.resetFailed([eventId]);
    await this.enqueue(ids);
    return ids.length > 0;
  }

  /** Every failed event; returns how many were reset. */
  async retryAllFailed(): Promise<number> {
    const ids = await this.events.resetFailed();
    await this.enqueue(ids);
    return ids.length;
  }

  /** Asks the sync to converge the account's Discord roles now; returns the event id. */
  async resyncAccount(accountId: string, source: ChangeSource = 'admin'): Promise<string> {
    const [id] = await inTransaction(this.dataSource, undefined, (tx) =>
      this.outbox.append(tx, [
        { type: 'roles.resync', source, accountId, payload: { reason: 'admin' } },
      ]),
    );
    return id;
  }

  /** Best effort: the rows are pending now, so the relay enqueues them if Redis is down. */
  private async enqueue(ids: string[]): Promise<void> {
    for (const batch of chunk(ids, this.config.env.SYNC_JOB_BATCH_SIZE)) {
      await this.queues
        .add('sync.events', { eventIds: batch }, syncJobId(batch, 'admin'))
        .catch(() => undefined);
    }
  }
}
