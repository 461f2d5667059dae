import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@ttfd/clock';
import { Tx } from '@ttfd/database';
import { ChangeSource, NewSyncEvent, OutboxWriter } from '@ttfd/sync';

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

/** The outbox rows announcing newly unlocked achievements. */
export function unlockedEvents(
  accountId: string,
  codes: string[],
  source: ChangeSource,
): NewSyncEvent[] {
  return codes.map((code) => ({
    type: 'achievement.unlocked',
    source,
    accountId,
    payload: { code },
  }));
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
    const unlocked = await this.unlockMany(tx, accountId, [code]);
    await this.outbox.append(tx, unlockedEvents(accountId, unlocked, source));
    return unlocked.length > 0;
  }

  /**
   * Unlocks several in one statement and returns the codes that are new, in the order asked;
   * writes no outbox rows: the caller appends `unlockedEvents(...)` with its own rows, so an
   * award makes one outbox insert however many achievements it unlocks.
   */
  async unlockMany(tx: Tx, accountId: string, codes: string[]): Promise<string[]> {
    if (codes.length === 0) return [];
    const rows: { achievement_code: string }[] = await tx.manager.query(
      `INSERT INTO account_achievements (account_id, achievement_code, unlocked_at)
       SELECT $1::bigint, code, $3::timestamptz FROM unnest($2::text[]) AS code
       ON CONFLICT (account_id, achievement_code) DO NOTHING
       RETURNING achievement_code`,
      [accountId, codes, this.clock.now()],
    );
    const fresh = new Set(rows.map((row) => row.achievement_code));
    return codes.filter((code) => fresh.has(code));
  }

  /** A merge: `toAccountId` takes every unlock of `fromAccountId`; the earliest unlock wins. */
  async moveAll(tx: Tx, fromAccountId: string, toAccountId: string): Promise<void> {
    await tx.manager.query(
      `INSERT INTO account_achievements (account_id, achievement_code, unlocked_at)
       SELECT $2::bigint, achievement_code, unlocked_at FROM account_achievements WHERE account_id = $1
       ON CONFLICT (account_id, achievement_code)
       DO UPDATE SET unlocked_at = LEAST(account_achievements.unlocked_at, EXCLUDED.unlocked_at)`,
      [fromAccountId, toAccountId],
    );
    await tx.manager.query(`DELETE FROM account_achievements WHERE account_id = $1`, [
      fromAccountId,
    ]);
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
