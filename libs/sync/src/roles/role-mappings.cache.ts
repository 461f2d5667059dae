import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { wantedRoles } from './role-plan';

/** The role mappings as of one version of `role_mappings_state`. */
export interface RoleMappingsSnapshot {
  version: bigint;
  /** Every role we ever add or remove: mapped by a rank or an achievement, or retired. */
  managed: ReadonlySet<string>;
  /** Rank id -> its role (mapped ranks only). */
  rankRoles: ReadonlyMap<number, string>;
  /** Achievement code -> its role (mapped achievements only). */
  achievementRoles: ReadonlyMap<string, string>;
}

/**
 * The managed roles an account with this rank and these achievements earns: the same answer as
 * `RoleMappingsRepository.targets`' SQL (unmapped keys earn nothing, a role named twice is
 * earned once, retired roles are managed but never earned).
 */
export function rolesEarned(
  snapshot: RoleMappingsSnapshot,
  rankId: number | null | undefined,
  achievementCodes: Iterable<string>,
): string[] {
  const achievementRoles: (string | undefined)[] = [];
  for (const code of achievementCodes) achievementRoles.push(snapshot.achievementRoles.get(code));
  return wantedRoles(
    rankId === null || rankId === undefined ? undefined : snapshot.rankRoles.get(rankId),
    achievementRoles,
  );
}

interface SnapshotRow {
  version: string;
  ranks: [number, string][] | string;
  achievements: [string, string][] | string;
  retired: string[];
}

/**
 * The role mappings, cached per process. Every write to the mapping tables bumps
 * `role_mappings_state.version` in the writer's transaction (a trigger, migration
 * 1764700000000), so a snapshot is current exactly when its version is the database's:
 * `snapshot(version)` reloads when asked for a version newer than the one held (the caller read
 * the version with the member's state, in the same statement), and `snapshot()` first reads the
 * version (one cheap statement). A reload reads the version and the three tables in one
 * statement, so they always belong together.
 */
@Injectable()
export class RoleMappingsCache {
  private current: RoleMappingsSnapshot | null = null;
  private loading: Promise<RoleMappingsSnapshot> | null = null;

  constructor(private readonly dataSource: DataSource) {}

  async snapshot(version?: string | number | bigint): Promise<RoleMappingsSnapshot> {
    const wanted = version === undefined ? await this.readVersion() : BigInt(version);
    if (this.current && this.current.version >= wanted) return this.current;
    // Concurrent convergences after a change share one reload. One already under way may have
    // begun before `wanted` was committed: if it comes back older, load once more. That second
    // load began after the caller read `wanted`, so it is the newest committed state (a version
    // older than asked means the caller read it in a transaction not committed yet).
    if (this.loading) {
      const joined = await this.loading;
      if (joined.version >= wanted) return joined;
    }
    this.loading ??= this.load().finally(() => (this.loading = null));
    return this.loading;
  }

  private async readVersion(): Promise<bigint> {
    const [row]: { version: string }[] = await this.dataSource.query(
      `SELECT version::text AS version FROM role_mappings_state`,
    );
    return BigInt(row.version);
  }

  private async load(): Promise<RoleMappingsSnapshot> {
    const [row]: SnapshotRow[] = await this.dataSource.query(
      `SELECT s.version::text AS version,
              COALESCE((SELECT json_agg(json_build_array(rank_id, discord_role_id))
                          FROM rank_role_mappings WHERE discord_role_id IS NOT NULL),
                       '[]'::json) AS ranks,
              COALESCE((SELECT json_agg(json_build_array(achievement_code, discord_role_id))
                          FROM achievement_role_mappings WHERE discord_role_id IS NOT NULL),
                       '[]'::json) AS achievements,
              ARRAY(SELECT discord_role_id FROM retired_role_ids) AS retired
         FROM role_mappings_state s`,
    );
    const ranks = parsed(row.ranks);
    const achievements = parsed(row.achievements);
    const loaded: RoleMappingsSnapshot = {
      version: BigInt(row.version),
      managed: new Set([
        ...ranks.map(([, role]) => role),
        ...achievements.map(([, role]) => role),
        ...row.retired,
      ]),
      rankRoles: new Map(ranks.map(([rankId, role]) => [Number(rankId), role])),
      achievementRoles: new Map(achievements),
    };
    if (!this.current || loaded.version > this.current.version) this.current = loaded;
    return loaded;
  }
}

/** json columns come parsed from node-postgres and may come as text from other drivers. */
function parsed<T>(value: T[] | string): T[] {
  return typeof value === 'string' ? (JSON.parse(value) as T[]) : value;
}
