import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * What an account earns roles with: its rank and its achievements, and the mapping version
 * read with them (the RoleMappingsCache snapshot to plan with is at least that new).
 */
export interface EarnedState {
  /** Null when the account has no rank (or no longer exists): it earns no rank role. */
  rankId: number | null;
  achievementCodes: string[];
  /** `role_mappings_state.version` read in the same statement; absent: the cache reads it. */
  mappingVersion?: string;
}

/** Reads an account's EarnedState in one statement (no mapping tables: those are cached). */
@Injectable()
export class EarnedStateReader {
  constructor(private readonly dataSource: DataSource) {}

  async read(accountId: string): Promise<EarnedState> {
    const [row]: { version: string; rank_id: number | null; codes: string[] }[] =
      await this.dataSource.query(
        `SELECT s.version::text AS version, a.rank_id,
                ARRAY(SELECT achievement_code FROM account_achievements
                       WHERE account_id = a.id) AS codes
           FROM role_mappings_state s LEFT JOIN accounts a ON a.id = $1::bigint`,
        [accountId],
      );
    return {
      rankId: row.rank_id === null ? null : Number(row.rank_id),
      achievementCodes: row.codes,
      mappingVersion: row.version,
    };
  }
}
