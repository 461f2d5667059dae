import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { wantedRoles } from './role-plan';

export interface RoleTargets {
  /** Every role id in either mapping table: the only roles we ever add or remove. */
  managed: string[];
  /** accountId -> the managed roles it earns now. */
  wanted: Map<string, string[]>;
}

/** Reads what accounts earn from rank and achievement mappings, fresh, in one round trip. */
@Injectable()
export class RoleMappingsRepository {
  constructor(private readonly dataSource: DataSource) {}

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
