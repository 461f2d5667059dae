import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * The player's DM opt-out (`accounts.dm_opt_out`, set by /settings and the dashboard): the one
 * check every direct message of the sync passes. Roles still follow an opted-out player; only
 * the messages are skipped.
 */
@Injectable()
export class DmOptOuts {
  constructor(private readonly dataSource: DataSource) {}

  /** The accounts among `accountIds` that want no direct messages. */
  async of(accountIds: readonly string[]): Promise<Set<string>> {
    if (accountIds.length === 0) return new Set();
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM accounts WHERE id = ANY($1::bigint[]) AND dm_opt_out`,
      [accountIds],
    );
    return new Set(rows.map((row) => String(row.id)));
  }
}
