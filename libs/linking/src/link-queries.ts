import { EntityManager } from 'typeorm';
import { Platform } from './platform';

/** The reads and locks that issuing, redeeming, merging and unlinking share. */

export interface IdentityRow {
  account_id: string;
  platform: Platform;
  external_id: string;
}

export async function identitiesOf(
  manager: EntityManager,
  accountIds: string[],
): Promise<IdentityRow[]> {
  const rows: IdentityRow[] = await manager.query(
    `SELECT account_id, platform, external_id FROM identities WHERE account_id = ANY($1::bigint[])`,
    [accountIds],
  );
  return rows.map((row) => ({ ...row, account_id: String(row.account_id) }));
}

/** Linked: the account holds an identity on both platforms. */
export function isLinked(rows: IdentityRow[]): boolean {
  return (
    rows.some((row) => row.platform === 'telegram') &&
    rows.some((row) => row.platform === 'discord')
  );
}
