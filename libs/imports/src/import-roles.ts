import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { inTransaction } from '@ttfd/database';
import { NewSyncEvent, OutboxWriter, RoleGatewayRegistry } from '@ttfd/sync';

/** Members read per page, and outbox rows written per transaction. */
const MEMBER_PAGE = 1_000;
const EVENTS_PER_TX = 1_000;

export interface RoleRequestResult {
  requested: number;
  note: string;
}

/**
 * After an import (or its revert), the current guild members among the players it changed get
 * their roles converged: one `roles.resync` outbox row each with payload `{ bulk: true }`, the
 * contract with the sync transport's paced "mass change" lane; such an event never notifies
 * anyone (no DM, no announcement). Players who are not in the guild get nothing: no role call
 * that would only answer "unknown member".
 */
@Injectable()
export class ImportRoles {
  private readonly logger = new Logger('ImportRoles');

  constructor(
    private readonly dataSource: DataSource,
    private readonly gateways: RoleGatewayRegistry,
    private readonly outbox: OutboxWriter,
  ) {}

  /** True when this process can read the guild's member list (the Discord adapter is loaded). */
  canConverge(): boolean {
    return this.gateways.get() !== undefined;
  }

  /** `entityId`: `import-run:{id}` or `import-revert:{id}`. */
  async request(entityId: string): Promise<RoleRequestResult> {
    const gateway = this.gateways.get();
    if (!gateway) {
      return {
        requested: 0,
        note: 'no Discord role gateway in this process: roles follow at the next reconcile',
      };
    }
    const members = new Set<string>();
    let after: string | null = null;
    for (;;) {
      const page = await gateway.listMembers(after, MEMBER_PAGE);
      for (const member of page.members) members.add(member.userId);
      if (page.members.length < MEMBER_PAGE) break;
      after = page.members[page.members.length - 1].userId;
    }
    const changed: { account_id: string; external_id: string }[] = await this.dataSource.query(
      `SELECT DISTINCT i.account_id, i.external_id
         FROM ledger_entries l
         JOIN identities i ON i.account_id = l.account_id AND i.platform = 'discord'
        WHERE l.reason = 'import' AND l.entity_id = $1`,
      [entityId],
    );
    const wanted = changed.filter((row) => members.has(row.external_id));
    for (let start = 0; start < wanted.length; start += EVENTS_PER_TX) {
      const events: NewSyncEvent[] = wanted.slice(start, start + EVENTS_PER_TX).map((row) => ({
        type: 'roles.resync',
        source: 'system',
        accountId: String(row.account_id),
        idempotencyKey: `roles:${entityId}:${row.account_id}`,
        payload: { bulk: true, reason: 'import' },
      }));
      await inTransaction(this.dataSource, undefined, (tx) => this.outbox.append(tx, events));
    }
    this.logger.log(
      `${entityId}: bulk role convergence asked for ${wanted.length} guild members (${changed.length - wanted.length} changed players are not in the guild)`,
    );
    return {
      requested: wanted.length,
      note: `bulk convergence asked for ${wanted.length} guild members; ${changed.length - wanted.length} changed players are not in the guild`,
    };
  }
}
