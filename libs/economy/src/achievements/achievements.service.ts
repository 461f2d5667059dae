import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@ttfd/clock';
import { Tx } from '@ttfd/database';
import { ChangeSource, OutboxWriter } from '@ttfd/sync';

/** The seeded achievement codes (migration 1764000000000). */
export const ACHIEVEMENT_CODES = [
  'first_win',
  'daily_streak_7',
  'rank_5',
  'rank_10',
  'rank_15',
  'rank_20',
  'linked',
  'voice_60',
  'messages_100',
  'season_top_3',
] as const;
export type AchievementCode = (typeof ACHIEVEMENT_CODES)[number];

export interface AchievementView {
  code: string;
  nameRu: string;
  nameEn: string;
  descriptionRu: string;
  descriptionEn: string;
}

export interface UnlockedAchievement extends AchievementView {
  unlockedAt: Date;
}

interface AchievementRow {
  code: string;
  name_ru: string;
  name_en: string;
  description_ru: string;
  description_en: string;
  unlocked_at?: Date;
}

@Injectable()
export class AchievementsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
  ) {}

  /**
   * Unlocks once: true when newly unlocked, in which case `achievement.unlocked` is written to
   * the outbox in the same transaction. The primary key (account, code) makes a race harmless.
   */
  async unlock(tx: Tx, accountId: string, code: string, source: ChangeSource): Promise<boolean> {
    const rows: unknown[] = await tx.manager.query(
      `INSERT INTO account_achievements (account_id, achievement_code, unlocked_at)
       VALUES ($1, $2, $3)
       ON CONFLICT (account_id, achievement_code) DO NOTHING
       RETURNING account_id`,
      [accountId, code, this.clock.now()],
    );
    if (rows.length === 0) return false;
    await this.outbox.append(tx, [
      { type: 'achievement.unlocked', source, accountId, payload: { code } },
    ]);
    return true;
  }

  async has(accountId: string, code: string, tx?: Tx): Promise<boolean> {
    const manager = tx?.manager ?? this.dataSource.manager;
    const rows: unknown[] = await manager.query(
      `SELECT 1 FROM account_achievements WHERE account_id = $1 AND achievement_code = $2`,
      [accountId, code],
    );
    return rows.length > 0;
  }

  /** What an account has unlocked, in catalogue order. */
  async of(accountId: string, tx?: Tx): Promise<UnlockedAchievement[]> {
    const manager = tx?.manager ?? this.dataSource.manager;
    const rows: AchievementRow[] = await manager.query(
      `SELECT a.code, a.name_ru, a.name_en, a.description_ru, a.description_en, aa.unlocked_at
         FROM account_achievements aa JOIN achievements a ON a.code = aa.achievement_code
        WHERE aa.account_id = $1
        ORDER BY a.sort_order, a.code`,
      [accountId],
    );
    return rows.map((row) => ({ ...toView(row), unlockedAt: new Date(row.unlocked_at as Date) }));
  }

  /** The whole catalogue. */
  async all(): Promise<AchievementView[]> {
    const rows: AchievementRow[] = await this.dataSource.query(
      `SELECT code, name_ru, name_en, description_ru, description_en
         FROM achievements ORDER BY sort_order, code`,
    );
    return rows.map(toView);
  }
}

function toView(row: AchievementRow): AchievementView {
  return {
    code: row.code,
    nameRu: row.name_ru,
    nameEn: row.name_en,
    descriptionRu: row.description_ru,
    descriptionEn: row.description_en,
  };
}
