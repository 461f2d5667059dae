import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '@ttfd/clock';
import {
  AnnouncementSettings,
  XpEvent,
  XpMultiplierKind,
  XpMultiplierRule,
  XpRulesSnapshot,
  XpSource,
} from './xp-rules.types';

interface SettingsRow {
  version: string;
  global_multiplier: string;
  announce_enabled: boolean;
  announce_discord_channel_id: string | null;
  announce_telegram_chat_id: string | null;
  announce_template_ru: string | null;
  announce_template_en: string | null;
}

interface EventRow {
  id: string;
  name: string;
  multiplier: string;
  sources: XpSource[];
  starts_at: Date;
  ends_at: Date;
}

/**
 * The XP rules' tables: reads of a whole snapshot, the admin's writes, and the version every
 * change bumps. The rules about what may be written are `XpRulesAdmin`'s.
 */
@Injectable()
export class XpRulesStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** One cheap read: the version of the stored rules. */
  async version(): Promise<number> {
    const rows: { version: string }[] = await this.dataSource.query(
      `SELECT version FROM xp_rule_settings WHERE id = 1`,
    );
    return Number(rows[0]?.version ?? 0);
  }

  /** Every rule in one repeatable-read transaction, so the version matches what is read. */
  async load(): Promise<XpRulesSnapshot> {
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const [settings]: SettingsRow[] = await manager.query(
        `SELECT version, global_multiplier, announce_enabled, announce_discord_channel_id,
                announce_telegram_chat_id, announce_template_ru, announce_template_en
           FROM xp_rule_settings WHERE id = 1`,
      );
      const multipliers: { kind: XpMultiplierKind; target_id: string; multiplier: string }[] =
        await manager.query(`SELECT kind, target_id, multiplier FROM xp_rule_multipliers`);
      const events = await this.eventsEndingAfter(manager, this.clock.now());
      const channels = new Map<string, number>();
      const roles = new Map<string, number>();
      for (const row of multipliers) {
        (row.kind === 'channel' ? channels : roles).set(row.target_id, Number(row.multiplier));
      }
      return {
        version: Number(settings.version),
        globalMultiplier: Number(settings.global_multiplier),
        channels,
        roles,
        events,
        announcements: announcementsOf(settings),
      };
    });
  }

  async multipliers(): Promise<XpMultiplierRule[]> {
    const rows: {
      kind: XpMultiplierKind;
      target_id: string;
      multiplier: string;
      note: string | null;
    }[] = await this.dataSource.query(
      `SELECT kind, target_id, multiplier, note FROM xp_rule_multipliers ORDER BY kind, target_id`,
    );
    return rows.map((row) => ({
      kind: row.kind,
      targetId: row.target_id,
      multiplier: Number(row.multiplier),
      note: row.note,
    }));
  }

  /** Events not over at `after`, and the last `pastLimit` that are, newest first. */
  async events(after: Date, pastLimit = 20): Promise<XpEvent[]> {
    const rows: EventRow[] = await this.dataSource.query(
      `(SELECT * FROM xp_events WHERE ends_at > $1)
       UNION ALL
       (SELECT * FROM xp_events WHERE ends_at <= $1 ORDER BY ends_at DESC LIMIT $2)
       ORDER BY starts_at DESC, id DESC`,
      [after, pastLimit],
    );
    return rows.map(eventOf);
  }

  async eventsEndingAfter(manager: EntityManager, after: Date): Promise<XpEvent[]> {
    const rows: EventRow[] = await manager.query(
      `SELECT id, name, multiplier, sources, starts_at, ends_at FROM xp_events
        WHERE ends_at > $1 ORDER BY starts_at, id LIMIT 200`,
      [after],
    );
    return rows.map(eventOf);
  }

  /** The writes below run inside `change` (its `manager`), so each one bumps the version. */
  async setGlobalMultiplier(manager: EntityManager, multiplier: number): Promise<void> {
    await manager.query(`UPDATE xp_rule_settings SET global_multiplier = $1 WHERE id = 1`, [
      multiplier,
    ]);
  }

  async putMultiplier(
    manager: EntityManager,
    rule: { kind: XpMultiplierKind; targetId: string; multiplier: number; note: string | null },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO xp_rule_multipliers (kind, target_id, multiplier, note, updated_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (kind, target_id)
       DO UPDATE SET multiplier = EXCLUDED.multiplier, note = EXCLUDED.note, updated_at = EXCLUDED.updated_at`,
      [rule.kind, rule.targetId, rule.multiplier, rule.note, this.clock.now()],
    );
  }

  async removeMultiplier(
    manager: EntityManager,
    kind: XpMultiplierKind,
    targetId: string,
  ): Promise<void> {
    await manager.query(`DELETE FROM xp_rule_multipliers WHERE kind = $1 AND target_id = $2`, [
      kind,
      targetId,
    ]);
  }

  async insertEvent(manager: EntityManager, event: Omit<XpEvent, 'id'>): Promise<void> {
    await manager.query(
      `INSERT INTO xp_events (name, multiplier, sources, starts_at, ends_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [event.name, event.multiplier, event.sources, event.startsAt, event.endsAt, this.clock.now()],
    );
  }

  /** False when there was no such event. */
  async deleteEvent(manager: EntityManager, id: string): Promise<boolean> {
    const [{ n }]: { n: number }[] = await manager.query(
      `WITH gone AS (DELETE FROM xp_events WHERE id = $1 RETURNING id)
       SELECT count(*)::int AS n FROM gone`,
      [id],
    );
    return n > 0;
  }

  async setAnnouncements(manager: EntityManager, settings: AnnouncementSettings): Promise<void> {
    await manager.query(
      `UPDATE xp_rule_settings SET announce_enabled = $1, announce_discord_channel_id = $2,
              announce_telegram_chat_id = $3, announce_template_ru = $4, announce_template_en = $5
        WHERE id = 1`,
      [
        settings.enabled,
        settings.discordChannelId,
        settings.telegramChatId,
        settings.templates.ru,
        settings.templates.en,
      ],
    );
  }

  /** Runs a change and bumps the version in the same transaction: every cache sees it. */
  change<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      const result = await work(manager);
      await manager.query(
        `UPDATE xp_rule_settings SET version = version + 1, updated_at = $1 WHERE id = 1`,
        [this.clock.now()],
      );
      return result;
    });
  }
}

export function announcementsOf(row: SettingsRow): AnnouncementSettings {
  return {
    enabled: row.announce_enabled,
    discordChannelId: row.announce_discord_channel_id,
    telegramChatId: row.announce_telegram_chat_id,
    templates: { ru: row.announce_template_ru, en: row.announce_template_en },
  };
}

function eventOf(row: EventRow): XpEvent {
  return {
    id: String(row.id),
    name: row.name,
    multiplier: Number(row.multiplier),
    sources: row.sources,
    startsAt: new Date(row.starts_at),
    endsAt: new Date(row.ends_at),
  };
}
