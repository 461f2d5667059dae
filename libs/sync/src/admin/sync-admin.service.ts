import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { inTransaction } from '@ttfd/database';
import { OutboxWriter } from '../outbox/outbox.writer';
import { ChangeSource } from '../outbox/sync-event';
import { SyncEventRepository } from '../processing/sync-event.repository';
import { LaneWakeUps } from '../lanes/lane-wake-ups';
import { SyncLane } from '../lanes/sync-lanes';

/** What admins do with the outbox (REST, GraphQL and the bots' admin commands call this). */
@Injectable()
export class SyncAdminService {
  private readonly logger = new Logger(SyncAdminService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly events: SyncEventRepository,
    private readonly wakeUps: LaneWakeUps,
    private readonly outbox: OutboxWriter,
  ) {}

  /** A failed event back to pending with a fresh attempt budget; false if it was not failed. */
  async retry(eventId: string): Promise<boolean> {
    const rows = await this.events.resetFailed([eventId]);
    await this.wake(rows.map((row) => row.lane));
    return rows.length > 0;
  }

  /** Every failed event; returns how many were reset. */
  async retryAllFailed(): Promise<number> {
    const rows = await this.events.resetFailed();
    await this.wake(rows.map((row) => row.lane));
    return rows.length;
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

  /** Best effort: the rows are pending and due now, so the sweep wakes them if Redis is down. */
  private async wake(lanes: SyncLane[]): Promise<void> {
    for (const lane of new Set(lanes)) {
      await this.wakeUps
        .wake(lane)
        .catch((error: Error) =>
          this.logger.debug(`lane ${lane} not woken (${error.message}): the sweep will`),
        );
    }
  }
}
