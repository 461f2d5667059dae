import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Tx } from '@ttfd/database';
import { wantedRoles } from './role-plan';

export type MappingKind = 'rank' | 'achievement';

/** One rank's or achievement's Discord role. */
export interface RoleMapping {
  /** Rank id ("1".."20") or achievement code. */
  key: string;
  discordRoleId: string | null;
  updatedAt: Date | null;
}

const TABLES = {
  rank: { table: 'rank_role_mappings', column: 'rank_id' },
  achievement: { table: 'achievement_role_mappings', column: 'achievement_code' },
} as const;

export interface RoleTargets {
  /** Every role id in either mapping table: the only roles we ever add or remove. */
  managed: string[];
  /** accountId -> the managed roles it earns now. */
  wanted: Map<string, string[]>;
}

/**
 * The mapping tables (`rank_role_mappings`, `achievement_role_mappings`) and the roles they
 * used to name (`retired_role_ids`). `targets` computes what accounts earn in SQL (reconcile's
 * batches, the admin account view; convergence derives the same from RoleMappingsCache); the
 * writes are `RoleMappingsService`'s, which keeps the rules: one writer at a time, a role mapped
 * once across both tables, holders resynced.
 */
@Injectable()
export class RoleMappingsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Every rank (or achievement) with its role, mapped or not, in catalogue order. */
  async list(kind: MappingKind, tx?: Tx): Promise<RoleMapping[]> {
    const manager = tx?.manager ?? this.dataSource.manager;
    const rows: {
      key: string | number;
      discord_role_id: string | null;
      updated_at: Date | null;
    }[] =
      kind === 'rank'
        ? await manager.query(
            `SELECT r.id AS key, m.discord_role_id, m.updated_at
               FROM ranks r LEFT JOIN rank_role_mappings m ON m.rank_id = r.id ORDER BY r.id`,
          )
        : await manager.query(
            `SELECT a.code AS key, m.discord_role_id, m.updated_at
               FROM achievements a
               LEFT JOIN achievement_role_mappings m ON m.achievement_code = a.code
              ORDER BY a.sort_order, a.code`,
          );
    return rows.map((row) => ({
      key: String(row.key),
      discordRoleId: row.discord_role_id,
      updatedAt: row.updated_at,
    }));
  }

  /** Mapping writers queue here, one at a time, until `tx` ends. */
  async lockWriters(tx: Tx): Promise<void> {
    await tx.manager.query(`SELECT pg_advisory_xact_lock(hashtext('role-mappings'))`);
  }

  /** Unmaps these keys (before they are set again: a swap never trips the unique index). */
  async clear(tx: Tx, kind: MappingKind, keys: string[], at: Date): Promise<void> {
    const { table, column } = TABLES[kind];
    await tx.manager.query(
      `UPDATE ${table} SET discord_role_id = NULL, updated_at = $2 WHERE ${column}::text = ANY($1)`,
      [keys, at],
    );
  }

  /** Maps one key; 'taken' when its table maps the role to another key already. */
  async put(
    tx: Tx,
    kind: MappingKind,
    key: string,
    discordRoleId: string | null,
    at: Date,
  ): Promise<'ok' | 'taken'> {
    const { table, column } = TABLES[kind];
    try {
      await tx.manager.query(
        `INSERT INTO ${table} (${column}, discord_role_id, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (${column}) DO UPDATE SET discord_role_id = $2, updated_at = $3`,
        [kind === 'rank' ? Number(key) : key, discordRoleId, at],
      );
      return 'ok';
    } catch (error) {
      if ((error as { code?: string }).code === '23505') return 'taken';
      throw error;
    }
  }

  /** One of these roles mapped twice across both tables (the unique indexes hold per table). */
  async mappedTwice(tx: Tx, roleIds: string[]): Promise<string | null> {
    const rows: { role: string }[] = await tx.manager.query(
      `SELECT role FROM (
         SELECT discord_role_id AS role FROM rank_role_mappings WHERE discord_role_id = ANY($1)
         UNION ALL
         SELECT discord_role_id FROM achievement_role_mappings WHERE discord_role_id = ANY($1)) x
        GROUP BY role HAVING count(*) > 1 LIMIT 1`,
      [roleIds],
    );
    return rows[0]?.role ?? null;
  }

  /**
   * Records roles no mapping names any more, so convergence still takes them back; a role
   * mapped again (in `mappedAgain`) is ours again and no longer retired.
   */
  async retire(tx: Tx, unmapped: string[], mappedAgain: string[], at: Date): Promise<void> {
    await tx.manager.query(`DELETE FROM retired_role_ids WHERE discord_role_id = ANY($1)`, [
      mappedAgain,
    ]);
    await tx.manager.query(
      `INSERT INTO retired_role_ids (discord_role_id, retired_at)
       SELECT r, $2 FROM unnest($1::text[]) AS r
        WHERE NOT EXISTS (SELECT 1 FROM rank_role_mappings WHERE discord_role_id = r)
          AND NOT EXISTS (SELECT 1 FROM achievement_role_mappings WHERE discord_role_id = r)
       ON CONFLICT (discord_role_id) DO NOTHING`,
      [unmapped, at],
    );
  }

  /** Live accounts on Discord that hold one of these ranks (or achievements). */
  async discordHolders(tx: Tx, kind: MappingKind, keys: string[]): Promise<string[]> {
    const rows: { id: string }[] =
      kind === 'rank'
        ? await tx.manager.query(
            `SELECT a.id FROM accounts a
               JOIN identities i ON i.account_id = a.id AND i.platform = 'discord'
              WHERE a.merged_into IS NULL AND a.rank_id = ANY($1::smallint[])`,
            [keys.map(Number)],
          )
        : await tx.manager.query(
            `SELECT DISTINCT aa.account_id AS id FROM account_achievements aa
               JOIN identities i ON i.account_id = aa.account_id AND i.platform = 'discord'
              WHERE aa.achievement_code = ANY($1)`,
            [keys],
          );
    return rows.map((row) => String(row.id));
  }

  async targets(accountIds: string[], manager?: EntityManager): Promise<RoleTargets> {
    const rows: {
      kind: 'managed' | 'rank' | 'achievement';
      account_id: string | null;
      role: string;
    }[] = await (manager ?? this.dataSource.manager).query(
      `SELECT 'managed' AS kind, NULL::bigint AS account_id, discord_role_id AS role
           FROM rank_role_mappings WHERE discord_role_id IS NOT NULL
         UNION ALL
         SELECT 'managed', NULL, discord_role_id
           FROM achievement_role_mappings WHERE discord_role_id IS NOT NULL
         UNION ALL
         -- Roles a mapping used to name (libs/api, migration 1764100000000): still ours to
         -- remove, so a mapping change takes the old role back from members.
         SELECT 'managed', NULL, discord_role_id FROM retired_role_ids
         UNION ALL
         SELECT 'rank', a.id, m.discord_role_id
           FROM accounts a JOIN rank_role_mappings m ON m.rank_id = a.rank_id
          WHERE a.id = ANY($1::bigint[]) AND m.discord_role_id IS NOT NULL
         UNION ALL
         SELECT 'achievement', aa.account_id, m.discord_role_id
           FROM account_achievements aa
           JOIN achievement_role_mappings m ON m.achievement_code = aa.achievement_code
          WHERE aa.account_id = ANY($1::bigint[]) AND m.discord_role_id IS NOT NULL`,
      [accountIds],
    );
    const managed: string[] = [];
    const rank = new Map<string, string>();
    const achievements = new Map<string, string[]>();
    for (const row of rows) {
      const accountId = row.account_id === null ? null : String(row.account_id);
      switch (row.kind) {
        case 'managed':
          managed.push(row.role);
          break;
        case 'rank':
          rank.set(accountId!, row.role);
          break;
        case 'achievement':
          achievements.set(accountId!, [...(achievements.get(accountId!) ?? []), row.role]);
          break;
      }
    }
    const wanted = new Map<string, string[]>();
    for (const accountId of accountIds) {
      wanted.set(accountId, wantedRoles(rank.get(accountId), achievements.get(accountId) ?? []));
    }
    return { managed, wanted };
  }

  /** How many ranks name a Discord role: none means reconcile must not strip roles. */
  async mappedRankCount(): Promise<number> {
    const [row]: { n: string }[] = await this.dataSource.query(
      `SELECT count(*) AS n FROM rank_role_mappings WHERE discord_role_id IS NOT NULL`,
    );
    return Number(row.n);
  }
}
