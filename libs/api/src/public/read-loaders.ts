import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { ProfileParts, ProfileService, ProfileView, UnlockedAchievement } from '@ttfd/economy';

export interface Loaders {
  /** Rank of each account: one `WHERE id = ANY($1)` for a whole leaderboard page. */
  rankId: DataLoader<string, number | null>;
  /** Unlocked achievements of each account: one query for a whole page. */
  achievements: DataLoader<string, UnlockedAchievement[]>;
  /** Public names and settings of each account: one query for a whole leaderboard page. */
  publicPlayer: DataLoader<string, PublicPlayer | null>;
  /** Profiles, de-duplicated within a request (by account and the parts asked for). */
  profile: DataLoader<ProfileKey, ProfileView, string>;
}

export interface ProfileKey {
  accountId: string;
  parts: ProfileParts;
}

/** What anyone may see of a player on a public page. */
export interface PublicPlayer {
  /** `accounts.leaderboard_hidden`: shown as "Hidden player", keeping the place. */
  hidden: boolean;
  /** The community display name (Discord nickname or global name, else Telegram's); never a username or id. */
  displayName: string | null;
  hasDiscord: boolean;
  /** All-time XP (the rank and its progress). */
  xp: number;
}

const PER_REQUEST = new WeakMap<Request, Loaders>();

/**
 * Per-request DataLoaders: a leaderboard page asking for every entry's rank and achievements
 * costs two queries, not two per entry (N+1). Created lazily and dropped with the request.
 */
@Injectable()
export class ReadLoaders {
  constructor(
    private readonly dataSource: DataSource,
    private readonly profiles: ProfileService,
  ) {}

  for(req: Request): Loaders {
    let loaders = PER_REQUEST.get(req);
    if (!loaders) {
      loaders = this.create();
      PER_REQUEST.set(req, loaders);
    }
    return loaders;
  }

  private create(): Loaders {
    return {
      rankId: new DataLoader(async (ids) => {
        const rows: { id: string; rank_id: number }[] = await this.dataSource.query(
          `SELECT id, rank_id FROM accounts WHERE id = ANY($1::bigint[])`,
          [ids],
        );
        const byId = new Map(rows.map((row) => [String(row.id), Number(row.rank_id)]));
        return ids.map((id) => byId.get(id) ?? null);
      }),
      achievements: new DataLoader(async (ids) => {
        const rows: {
          account_id: string;
          code: string;
          name_ru: string;
          name_en: string;
          description_ru: string;
          description_en: string;
          unlocked_at: Date;
        }[] = await this.dataSource.query(
          `SELECT aa.account_id, a.code, a.name_ru, a.name_en, a.description_ru, a.description_en,
                  aa.unlocked_at
             FROM account_achievements aa JOIN achievements a ON a.code = aa.achievement_code
            WHERE aa.account_id = ANY($1::bigint[])
            ORDER BY a.sort_order, a.code`,
          [ids],
        );
        const byAccount = new Map<string, UnlockedAchievement[]>();
        for (const row of rows) {
          const list = byAccount.get(String(row.account_id)) ?? [];
          list.push({
            code: row.code,
            nameRu: row.name_ru,
            nameEn: row.name_en,
            descriptionRu: row.description_ru,
            descriptionEn: row.description_en,
            unlockedAt: new Date(row.unlocked_at),
          });
          byAccount.set(String(row.account_id), list);
        }
        return ids.map((id) => byAccount.get(id) ?? []);
      }),
      publicPlayer: new DataLoader(async (ids) => {
        const rows: {
          id: string;
          xp: string;
          leaderboard_hidden: boolean;
          discord_name: string | null;
          telegram_name: string | null;
          has_discord: boolean;
        }[] = await this.dataSource.query(
          `SELECT a.id, a.xp, a.leaderboard_hidden,
                  d.display_name AS discord_name, t.display_name AS telegram_name,
                  d.id IS NOT NULL AS has_discord
             FROM accounts a
             LEFT JOIN identities d ON d.account_id = a.id AND d.platform = 'discord'
             LEFT JOIN identities t ON t.account_id = a.id AND t.platform = 'telegram'
            WHERE a.id = ANY($1::bigint[])`,
          [ids],
        );
        const byId = new Map(
          rows.map((row): [string, PublicPlayer] => [
            String(row.id),
            {
              hidden: row.leaderboard_hidden,
              displayName: cleanName(row.discord_name) ?? cleanName(row.telegram_name),
              hasDiscord: row.has_discord,
              xp: Number(row.xp),
            },
          ]),
        );
        return ids.map((id) => byId.get(id) ?? null);
      }),
      profile: new DataLoader(
        (keys) =>
          Promise.all(
            keys.map(({ accountId, parts }) =>
              this.profiles.get(accountId, parts).catch((error: Error) => error),
            ),
          ),
        {
          batch: false,
          cacheKeyFn: ({ accountId, parts }) => `${accountId}:${parts.season === false ? '' : 's'}`,
        },
      ),
    };
  }
}

/** A stored display name fit to show: trimmed, blank as none. */
function cleanName(name: string | null): string | null {
  const trimmed = name?.trim();
  return trimmed ? trimmed : null;
}
