import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@ttfd/clock';
import { inTransaction, Tx } from '@ttfd/database';
import { RANKS } from '@ttfd/economy';
import { OutboxWriter } from '@ttfd/sync';
import { ApiError } from '../api-error';
import { DiscordGuildRoles } from './discord-guild-roles';

export type MappingKind = 'rank' | 'achievement';

export interface RoleMapping {
  /** Rank id ("1".."20") or achievement code. */
  key: string;
  discordRoleId: string | null;
  updatedAt: Date | null;
}

export interface MappingChange {
  key: string;
  discordRoleId: string | null;
}

export interface MappingChangeResult {
  mappings: RoleMapping[];
  /** Members (accounts with a Discord identity) asked to re-sync their roles. */
  resynced: number;
  /** Saved, but with something the operator should know (Discord could not check the roles). */
  warnings: string[];
}

const TABLES = {
  rank: { table: 'rank_role_mappings', column: 'rank_id', holders: 'rank' },
  achievement: {
    table: 'achievement_role_mappings',
    column: 'achievement_code',
    holders: 'achievement',
  },
} as const;

/**
 * Discord roles of ranks and achievements. A change, in one transaction: the mapping rows, the
 * old role recorded as retired (so convergence still removes it: it is in no mapping any more),
 * and a `roles.resync` outbox event for every affected member, so they converge right away.
 * No mapping service exists in @ttfd/sync; this is the only writer of the mapping tables.
 */
@Injectable()
export class RoleMappingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
    private readonly guildRoles: DiscordGuildRoles,
  ) {}

  /** `tx`: read inside a transaction on its own connection (PGlite's pool has only one). */
  async list(kind: MappingKind, tx?: Tx): Promise<RoleMapping[]> {
    const manager = tx?.manager ?? this.dataSource.manager;
    if (kind === 'rank') {
      const rows: { id: number; discord_role_id: string | null; updated_at: Date | null }[] =
        await manager.query(
          `SELECT r.id, m.discord_role_id, m.updated_at
             FROM ranks r LEFT JOIN rank_role_mappings m ON m.rank_id = r.id ORDER BY r.id`,
        );
      return rows.map((row) => ({
        key: String(row.id),
        discordRoleId: row.discord_role_id,
        updatedAt: row.updated_at,
      }));
    }
    const rows: { code: string; discord_role_id: string | null; updated_at: Date | null }[] =
      await manager.query(
        `SELECT a.code, m.discord_role_id, m.updated_at
           FROM achievements a LEFT JOIN achievement_role_mappings m ON m.achievement_code = a.code
          ORDER BY a.sort_order, a.code`,
      );
    return rows.map((row) => ({
      key: row.code,
      discordRoleId: row.discord_role_id,
      updatedAt: row.updated_at,
    }));
  }

  /** Sets some mappings at once (one, or all twenty as the seed did); others stay as they are. */
  async set(kind: MappingKind, changes: MappingChange[]): Promise<MappingChangeResult> {
    await this.assertKeys(kind, changes);
    const seen = new Set<string>();
    for (const change of changes) {
      if (seen.has(change.key)) throw new ApiError('BAD_REQUEST', `${change.key} is given twice`);
      seen.add(change.key);
    }
    const warnings = await this.assertRolesExist(changes);
    const { table, column } = TABLES[kind];
    const resynced = await inTransaction(this.dataSource, undefined, async (tx) => {
      const { manager } = tx;
      const now = this.clock.now();
      // One writer at a time: swaps of roles between two keys must see each other's rows.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('role-mappings'))`);
      const current = new Map((await this.list(kind, tx)).map((m) => [m.key, m.discordRoleId]));
      const changed = changes.filter((c) => (current.get(c.key) ?? null) !== c.discordRoleId);
      if (changed.length === 0) return 0;
      const keys = changed.map((c) => c.key);
      // Clear first, then set: a swap of two roles between keys never trips the unique index.
      await manager.query(
        `UPDATE ${table} SET discord_role_id = NULL, updated_at = $2 WHERE ${column}::text = ANY($1)`,
        [keys, now],
      );
      for (const change of changed) {
        try {
          await manager.query(
            `INSERT INTO ${table} (${column}, discord_role_id, updated_at) VALUES ($1, $2, $3)
             ON CONFLICT (${column}) DO UPDATE SET discord_role_id = $2, updated_at = $3`,
            [kind === 'rank' ? Number(change.key) : change.key, change.discordRoleId, now],
          );
        } catch (error) {
          if ((error as { code?: string }).code === '23505') {
            throw new ApiError(
              'ROLE_ALREADY_MAPPED',
              `Role ${change.discordRoleId} is already mapped`,
              {
                discordRoleId: change.discordRoleId,
              },
            );
          }
          throw error;
        }
      }
      // The unique indexes hold per table; one role for a rank and an achievement would give
      // members contradictory wants, so it is refused across both tables too.
      const clash: { role: string }[] = await manager.query(
        `SELECT role FROM (
           SELECT discord_role_id AS role FROM rank_role_mappings WHERE discord_role_id = ANY($1)
           UNION ALL
           SELECT discord_role_id FROM achievement_role_mappings WHERE discord_role_id = ANY($1)) x
          GROUP BY role HAVING count(*) > 1 LIMIT 1`,
        [changed.map((c) => c.discordRoleId).filter((r): r is string => !!r)],
      );
      if (clash.length > 0) {
        throw new ApiError('ROLE_ALREADY_MAPPED', `Role ${clash[0].role} is already mapped`, {
          discordRoleId: clash[0].role,
        });
      }
      const oldRoles = changed.map((c) => current.get(c.key)).filter((r): r is string => !!r);
      const newRoles = changed.map((c) => c.discordRoleId).filter((r): r is string => !!r);
      await this.retire(tx, oldRoles, newRoles, now);
      return this.resyncHolders(tx, kind, keys);
    });
    return { mappings: await this.list(kind), resynced, warnings };
  }

  /**
   * Every role to map must exist in the guild: a typo would map a rank to nothing. When Discord
   * cannot say (not configured here, or not answering), the mapping is saved with a warning:
   * convergence will report a missing role later, and the operator is not locked out.
   */
  private async assertRolesExist(changes: MappingChange[]): Promise<string[]> {
    const roleIds = changes.map((c) => c.discordRoleId).filter((id): id is string => !!id);
    const check = await this.guildRoles.check(roleIds);
    if (check.kind === 'unchecked') {
      return roleIds.length > 0 ? [`Role ids saved unchecked: ${check.reason}`] : [];
    }
    if (check.missing.length > 0) {
      throw new ApiError(
        'UNKNOWN_DISCORD_ROLE',
        `The guild has no role ${check.missing.join(', ')}; copy the id from Discord (Server Settings > Roles > Copy Role ID)`,
        { discordRoleId: check.missing[0] },
      );
    }
    return [];
  }

  private async retire(tx: Tx, oldRoles: string[], newRoles: string[], now: Date): Promise<void> {
    // A role mapped again is ours again (no longer retired); an old role that is still mapped
    // elsewhere (moved within this change) is not retired either.
    await tx.manager.query(`DELETE FROM retired_role_ids WHERE discord_role_id = ANY($1)`, [
      newRoles,
    ]);
    await tx.manager.query(
      `INSERT INTO retired_role_ids (discord_role_id, retired_at)
       SELECT r, $2 FROM unnest($1::text[]) AS r
        WHERE NOT EXISTS (SELECT 1 FROM rank_role_mappings WHERE discord_role_id = r)
          AND NOT EXISTS (SELECT 1 FROM achievement_role_mappings WHERE discord_role_id = r)
       ON CONFLICT (discord_role_id) DO NOTHING`,
      [oldRoles, now],
    );
  }

  private async resyncHolders(tx: Tx, kind: MappingKind, keys: string[]): Promise<number> {
    const holders: { id: string }[] =
      kind === 'rank'
        ? await tx.manager.query(
            `SELECT a.id FROM accounts a JOIN identities i ON i.account_id = a.id AND i.platform = 'discord'
              WHERE a.merged_into IS NULL AND a.rank_id = ANY($1::smallint[])`,
            [keys.map(Number)],
          )
        : await tx.manager.query(
            `SELECT DISTINCT aa.account_id AS id FROM account_achievements aa
               JOIN identities i ON i.account_id = aa.account_id AND i.platform = 'discord'
              WHERE aa.achievement_code = ANY($1)`,
            [keys],
          );
    await this.outbox.append(
      tx,
      holders.map(({ id }) => ({
        type: 'roles.resync' as const,
        source: 'admin' as const,
        accountId: String(id),
        payload: { reason: `${kind}_mapping_changed`, keys },
      })),
    );
    return holders.length;
  }

  private async assertKeys(kind: MappingKind, changes: MappingChange[]): Promise<void> {
    if (kind === 'rank') {
      for (const { key } of changes) {
        if (!RANKS.some((rank) => String(rank.id) === key)) {
          throw new ApiError('UNKNOWN_RANK', `There is no rank ${key} (ranks are 1-20)`, {
            rankId: key,
          });
        }
      }
      return;
    }
    const rows: { code: string }[] = await this.dataSource.query(`SELECT code FROM achievements`);
    const known = new Set(rows.map((row) => row.code));
    for (const { key } of changes) {
      if (!known.has(key)) {
        throw new ApiError('UNKNOWN_ACHIEVEMENT', `There is no achievement ${key}`, { code: key });
      }
    }
  }
}
