import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { preparedStatement } from '@ttfd/database';
import { assertChainEnded, isAccountId, survivorCte } from '../accounts/accounts.service';
import { UnlockedAchievement } from '../achievements/achievements.service';
import { EconomyError } from '../economy.error';
import { Rank, rankProgress } from '../ranks/ranks';
import { SEASON_PLACE } from './places.sql';

export interface ProfileView {
  /** The survivor's id (differs from the asked id when that account was merged). */
  accountId: string;
  xp: number;
  coins: number;
  rank: Rank;
  nextRank: Rank | null;
  progress: { xpIntoRank: number; xpForNextRank: number; percent: number };
  achievements: UnlockedAchievement[];
  /**
   * Place in the open season; null when no season is open, no XP was earned in it, or the
   * caller did not ask for it (`ProfileParts.season` false).
   */
  season: { seasonId: number; place: number; xp: number } | null;
}

/** What a caller needs beyond the totals: the season place is the one part that costs. */
export interface ProfileParts {
  /** The open-season place: a count that grows with the place (places.sql.ts). Default true. */
  season?: boolean;
}

interface ProfileRow {
  id: string;
  xp: string;
  coins: string;
  merged_into: string | null;
  codes: string[] | null;
  names_ru: string[] | null;
  names_en: string[] | null;
  descriptions_ru: string[] | null;
  descriptions_en: string[] | null;
  unlocked: Date[] | null;
  season_id?: number | null;
  place?: string | null;
  season_xp?: string | null;
}

/** The achievements in catalogue order, as parallel arrays (one row for the whole profile). */
const ACHIEVEMENTS = `CROSS JOIN LATERAL (
    SELECT array_agg(c.code ORDER BY c.sort_order, c.code) AS codes,
           array_agg(c.name_ru ORDER BY c.sort_order, c.code) AS names_ru,
           array_agg(c.name_en ORDER BY c.sort_order, c.code) AS names_en,
           array_agg(c.description_ru ORDER BY c.sort_order, c.code) AS descriptions_ru,
           array_agg(c.description_en ORDER BY c.sort_order, c.code) AS descriptions_en,
           array_agg(aa.unlocked_at ORDER BY c.sort_order, c.code) AS unlocked
      FROM account_achievements aa JOIN achievements c ON c.code = aa.achievement_code
     WHERE aa.account_id = a.id) ach`;

const OPEN_SEASON_PLACE = `LEFT JOIN LATERAL (
    SELECT m.season_id, ${SEASON_PLACE} AS place, m.xp AS season_xp
      FROM seasons so JOIN season_scores m ON m.season_id = so.id AND m.account_id = a.id
     WHERE so.status = 'open') p ON true`;

/**
 * The account an identity points at: identities always point at the live account (a merge moves
 * them), so the chain from it ends at once.
 */
const IDENTITY_ACCOUNT = `(SELECT account_id FROM identities WHERE platform = $1 AND external_id = $2)`;

/**
 * The profile in one statement: the survivor of `anchor` (the merge chain, survivorCte), its
 * totals, its achievements and, when asked, its open-season place.
 */
function profileSql(parts: Required<ProfileParts>, anchor: string): string {
  return `WITH RECURSIVE ${survivorCte(anchor)}
    SELECT a.id, a.xp, a.coins, s.merged_into,
           ach.codes, ach.names_ru, ach.names_en, ach.descriptions_ru, ach.descriptions_en,
           ach.unlocked${parts.season ? ', p.season_id, p.place, p.season_xp' : ''}
      FROM survivor s JOIN accounts a ON a.id = s.id
      ${ACHIEVEMENTS}
      ${parts.season ? OPEN_SEASON_PLACE : ''}`;
}

const PROFILE_SQL = profileSql({ season: false }, '$1');
const PROFILE_WITH_SEASON_SQL = profileSql({ season: true }, '$1');
const IDENTITY_PROFILE_SQL = profileSql({ season: false }, IDENTITY_ACCOUNT);
const IDENTITY_PROFILE_WITH_SEASON_SQL = profileSql({ season: true }, IDENTITY_ACCOUNT);

/** The read model behind `/profile` in both bots and the API. */
@Injectable()
export class ProfileService {
  constructor(private readonly dataSource: DataSource) {}

  /** One round trip (a prepared statement), whatever the parts; throws ACCOUNT_NOT_FOUND. */
  async get(accountId: string, parts: ProfileParts = {}): Promise<ProfileView> {
    const wanted = { season: parts.season ?? true };
    const rows = isAccountId(accountId)
      ? await preparedStatement<ProfileRow>(
          this.dataSource,
          wanted.season ? 'profile.with-season' : 'profile',
          wanted.season ? PROFILE_WITH_SEASON_SQL : PROFILE_SQL,
          [accountId],
        )
      : [];
    const row = rows[0];
    if (!row) {
      throw new EconomyError('ACCOUNT_NOT_FOUND', `Account ${accountId} does not exist`, {
        accountId,
      });
    }
    assertChainEnded(accountId, row.merged_into);
    return toView(row);
  }

  /**
   * The profile of the account a platform identity points at, or null when there is no such
   * identity. Keyed by the identity, a bot can read the profile beside resolving its player
   * (which may store a changed name) instead of after it: one round trip of waiting, not two.
   */
  async getByIdentity(
    platform: string,
    externalId: string,
    parts: ProfileParts = {},
  ): Promise<ProfileView | null> {
    const wanted = { season: parts.season ?? true };
    const [row] = await preparedStatement<ProfileRow>(
      this.dataSource,
      wanted.season ? 'profile.by-identity.with-season' : 'profile.by-identity',
      wanted.season ? IDENTITY_PROFILE_WITH_SEASON_SQL : IDENTITY_PROFILE_SQL,
      [platform, externalId],
    );
    if (!row) return null;
    assertChainEnded(`${platform}:${externalId}`, row.merged_into);
    return toView(row);
  }
}

function toView(row: ProfileRow): ProfileView {
  const xp = Number(row.xp);
  const progress = rankProgress(xp);
  return {
    accountId: String(row.id),
    xp,
    coins: Number(row.coins),
    rank: progress.rank,
    nextRank: progress.next,
    progress: {
      xpIntoRank: progress.xpIntoRank,
      xpForNextRank: progress.xpForNextRank,
      percent: progress.percent,
    },
    achievements: achievementsOf(row),
    season:
      row.season_id === null || row.season_id === undefined
        ? null
        : {
            seasonId: Number(row.season_id),
            place: Number(row.place),
            xp: Number(row.season_xp),
          },
  };
}

function achievementsOf(row: ProfileRow): UnlockedAchievement[] {
  return (row.codes ?? []).map((code, i) => ({
    code,
    nameRu: row.names_ru![i],
    nameEn: row.names_en![i],
    descriptionRu: row.descriptions_ru![i],
    descriptionEn: row.descriptions_en![i],
    unlockedAt: new Date(row.unlocked![i]),
  }));
}
