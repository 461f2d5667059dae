import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@ttfd/clock';
import { inTransaction, Tx } from '@ttfd/database';
import { OutboxWriter } from '../outbox/outbox.writer';
import { GuildRoleCheck } from '../ports/guild-role-check';
import { RoleMappingError } from './role-mapping.error';
import { MappingKind, RoleMapping, RoleMappingsRepository } from './role-mappings.repository';

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

/**
 * Discord roles of ranks and achievements. A change, in one transaction: the mapping rows, the
 * old role recorded as retired (so convergence still removes it: it is in no mapping any more),
 * and a `roles.resync` outbox event for every affected member, so they converge right away. The
 * same transaction bumps the mappings' version (a trigger on the tables), so every process's
 * RoleMappingsCache sees the change no later than the resyncs it causes. The rules live here,
 * the SQL in `RoleMappingsRepository`; the admin API (REST, GraphQL) is this service's edge.
 */
@Injectable()
export class RoleMappingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly mappings: RoleMappingsRepository,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
    private readonly guildRoles: GuildRoleCheck,
  ) {}

  /** `tx`: read inside a transaction on its own connection (PGlite's pool has only one). */
  list(kind: MappingKind, tx?: Tx): Promise<RoleMapping[]> {
    return this.mappings.list(kind, tx);
  }

  /** Sets some mappings at once (one, or all twenty as the seed did); others stay as they are. */
  async set(kind: MappingKind, changes: MappingChange[]): Promise<MappingChangeResult> {
    await this.assertKeys(kind, changes);
    const seen = new Set<string>();
    for (const change of changes) {
      if (seen.has(change.key)) {
        throw new RoleMappingError('MAPPING_KEY_REPEATED', `${change.key} is given twice`);
      }
      seen.add(change.key);
    }
    const warnings = await this.assertRolesExist(changes);
    const resynced = await inTransaction(this.dataSource, undefined, async (tx) => {
      const now = this.clock.now();
      // One writer at a time: swaps of roles between two keys must see each other's rows.
      await this.mappings.lockWriters(tx);
      const current = new Map((await this.list(kind, tx)).map((m) => [m.key, m.discordRoleId]));
      const changed = changes.filter((c) => (current.get(c.key) ?? null) !== c.discordRoleId);
      if (changed.length === 0) return 0;
      const keys = changed.map((c) => c.key);
      // Clear first, then set: a swap of two roles between keys never trips the unique index.
      await this.mappings.clear(tx, kind, keys, now);
      for (const change of changed) {
        if (
          (await this.mappings.put(tx, kind, change.key, change.discordRoleId, now)) === 'taken'
        ) {
          throw alreadyMapped(change.discordRoleId!);
        }
      }
      // The unique indexes hold per table; one role for a rank and an achievement would give
      // members contradictory wants, so it is refused across both tables too.
      const twice = await this.mappings.mappedTwice(
        tx,
        changed.map((c) => c.discordRoleId).filter((r): r is string => !!r),
      );
      if (twice) throw alreadyMapped(twice);
      const oldRoles = changed.map((c) => current.get(c.key)).filter((r): r is string => !!r);
      const newRoles = changed.map((c) => c.discordRoleId).filter((r): r is string => !!r);
      await this.mappings.retire(tx, oldRoles, newRoles, now);
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
      throw new RoleMappingError(
        'UNKNOWN_DISCORD_ROLE',
        `The guild has no role ${check.missing.join(', ')}; copy the id from Discord (Server Settings > Roles > Copy Role ID)`,
        { discordRoleId: check.missing[0] },
      );
    }
    return [];
  }

  private async resyncHolders(tx: Tx, kind: MappingKind, keys: string[]): Promise<number> {
    const holders = await this.mappings.discordHolders(tx, kind, keys);
    await this.outbox.append(
      tx,
      holders.map((id) => ({
        type: 'roles.resync' as const,
        source: 'admin' as const,
        accountId: id,
        payload: { reason: `${kind}_mapping_changed`, keys },
      })),
    );
    return holders.length;
  }

  /** Every key must be in the catalogue: the `ranks` or `achievements` the mappings reference. */
  private async assertKeys(kind: MappingKind, changes: MappingChange[]): Promise<void> {
    const known = new Set((await this.list(kind)).map((mapping) => mapping.key));
    for (const { key } of changes) {
      if (known.has(key)) continue;
      throw kind === 'rank'
        ? new RoleMappingError('UNKNOWN_RANK', `There is no rank ${key} (ranks are 1-20)`, {
            rankId: key,
          })
        : new RoleMappingError('UNKNOWN_ACHIEVEMENT', `There is no achievement ${key}`, {
            code: key,
          });
    }
  }
}

function alreadyMapped(discordRoleId: string): RoleMappingError {
  return new RoleMappingError('ROLE_ALREADY_MAPPED', `Role ${discordRoleId} is already mapped`, {
    discordRoleId,
  });
}
