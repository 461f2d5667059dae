import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@ttfd/clock';
import { AppConfig } from '@ttfd/config';
import { resolveLocale } from '@ttfd/i18n';
import { RankUp, RankUpListeners } from '@ttfd/sync';
import { rankById } from '../ranks/ranks';
import { renderAnnouncement } from './announcement-template';
import { XpRules } from './xp-rules.service';

export type AnnouncementPlatform = 'telegram' | 'discord';

/** Posts a text to a group (Telegram) or channel (Discord). Each bot registers its own. */
export interface AnnouncementChannel {
  readonly platform: AnnouncementPlatform;
  post(targetId: string, text: string): Promise<void>;
}

export const DEFAULT_ANNOUNCEMENT_TEMPLATES = {
  ru: '🎉 {player} получает ранг «{rank}»! ({platform})',
  en: '🎉 {player} reached the rank {rank}! ({platform})',
} as const;

/** One batched message holds at most this many rank-ups (Telegram's 4096 characters). */
const BATCH = 20;
/** pg_try_advisory_xact_lock class: one sender per platform at a time, over every process. */
const SEND_LOCK_CLASS = 23_001;

interface PendingRow {
  id: string;
  account_id: string;
  rank_id: number;
  hidden: boolean;
  telegram_name: string | null;
  discord_name: string | null;
  telegram_locale: string | null;
  discord_locale: string | null;
  has_telegram: boolean;
  has_discord: boolean;
}

/**
 * Rank-up announcements in a Discord channel and/or a Telegram group (off by default; the
 * admin's XP rules say where and with which template per language).
 *
 * - Recorded when the sync processes a `rank.changed` upward (RankUpListeners): one row per
 *   event and platform (unique), so a retried event is announced once. Never for a
 *   `roles.resync` (mass changes, imports: those never reach the listeners) nor for a player
 *   hidden from the leaderboard (they asked not to be shown publicly).
 * - Sent every XP_ANNOUNCE_INTERVAL_MS by the process that holds that platform's bot: every
 *   pending row of the platform (up to 20) becomes ONE message, and the last message's time is
 *   read under the lock, so a group gets at most one message per interval whichever processes
 *   send (12 a minute at 5 s, within Telegram's 20 per minute per group) however many players
 *   rank up at once. Rows are marked sent in the transaction that sends them (an
 *   advisory lock keeps one sender per platform): a failed post rolls back and is retried.
 */
@Injectable()
export class RankAnnouncements implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RankAnnouncements.name);
  private readonly channels = new Map<AnnouncementPlatform, AnnouncementChannel>();
  private readonly intervalMs: number;
  private timer?: NodeJS.Timeout;
  private sending?: Promise<void>;
  private failing = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly rules: XpRules,
    private readonly clock: Clock,
    private readonly rankUps: RankUpListeners,
    config: AppConfig,
  ) {
    this.intervalMs = config.env.XP_ANNOUNCE_INTERVAL_MS;
  }

  onModuleInit(): void {
    this.rankUps.register((rankUp) => this.record(rankUp));
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** A bot offers its channel; the first one starts the sending timer of this process. */
  register(channel: AnnouncementChannel): void {
    this.channels.set(channel.platform, channel);
    if (!this.timer) {
      this.timer = setInterval(() => void this.sendPending(), this.intervalMs);
      this.timer.unref();
    }
  }

  unregister(platform: AnnouncementPlatform): void {
    this.channels.delete(platform);
  }

  /** Queues the announcement of a rank-up on each configured platform (idempotent per event). */
  async record(rankUp: RankUp): Promise<void> {
    const settings = this.rules.current().announcements;
    if (!settings.enabled) return;
    const platforms: AnnouncementPlatform[] = [];
    if (settings.telegramChatId) platforms.push('telegram');
    if (settings.discordChannelId) platforms.push('discord');
    if (platforms.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO rank_announcements (sync_event_id, account_id, rank_id, platform, created_at)
       SELECT $1, a.id, $3, p.platform, $5
         FROM accounts a, unnest($4::text[]) AS p(platform)
        WHERE a.id = $2 AND NOT a.leaderboard_hidden
       ON CONFLICT (sync_event_id, platform) DO NOTHING`,
      [rankUp.eventId, rankUp.accountId, rankUp.toRank, platforms, this.clock.now()],
    );
  }

  /** One pass: one message per platform with what is pending. Resolves when done. */
  sendPending(): Promise<void> {
    this.sending ??= this.sendAll().finally(() => (this.sending = undefined));
    return this.sending;
  }

  private async sendAll(): Promise<void> {
    for (const channel of [...this.channels.values()]) {
      try {
        await this.sendBatch(channel);
        if (this.failing) this.logger.log('Rank-up announcements are sent again');
        this.failing = false;
      } catch (error) {
        if (!this.failing) {
          this.failing = true;
          this.logger.warn(
            `Rank-up announcements on ${channel.platform} not sent (retried): ${(error as Error).message}`,
          );
        }
      }
    }
  }

  private async sendBatch(channel: AnnouncementChannel): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const [{ locked }]: { locked: boolean }[] = await manager.query(
        `SELECT pg_try_advisory_xact_lock($1, $2) AS locked`,
        [SEND_LOCK_CLASS, channel.platform === 'telegram' ? 1 : 2],
      );
      if (!locked) return;
      // One message per interval per target, over every process that holds the bot.
      const [{ last }]: { last: Date | null }[] = await manager.query(
        `SELECT max(sent_at) AS last FROM rank_announcements WHERE platform = $1 AND status = 'sent'`,
        [channel.platform],
      );
      if (last && this.clock.nowMs() - new Date(last).getTime() < this.intervalMs) return;
      const settings = this.rules.current().announcements;
      const target =
        channel.platform === 'telegram' ? settings.telegramChatId : settings.discordChannelId;
      if (!settings.enabled || !target) {
        // Turned off (or the target removed) after these were queued: they are not sent later.
        await manager.query(
          `UPDATE rank_announcements SET status = 'skipped' WHERE status = 'pending' AND platform = $1`,
          [channel.platform],
        );
        return;
      }
      const rows: PendingRow[] = await manager.query(
        `SELECT r.id, r.account_id, r.rank_id, a.leaderboard_hidden AS hidden,
                coalesce(t.display_name, t.username) AS telegram_name,
                coalesce(d.display_name, d.username) AS discord_name,
                t.locale AS telegram_locale, d.locale AS discord_locale,
                t.id IS NOT NULL AS has_telegram, d.id IS NOT NULL AS has_discord
           FROM rank_announcements r
           JOIN accounts a ON a.id = r.account_id
           LEFT JOIN identities t ON t.account_id = r.account_id AND t.platform = 'telegram'
           LEFT JOIN identities d ON d.account_id = r.account_id AND d.platform = 'discord'
          WHERE r.status = 'pending' AND r.platform = $1
          ORDER BY r.id LIMIT $2`,
        [channel.platform, BATCH],
      );
      if (rows.length === 0) return;
      const lines = rows
        .filter((row) => !row.hidden)
        .map((row) => this.line(channel.platform, row, settings.templates));
      await manager.query(
        `UPDATE rank_announcements SET status = CASE WHEN id = ANY($2::bigint[]) THEN 'sent' ELSE 'skipped' END,
                sent_at = $3
          WHERE id = ANY($1::bigint[])`,
        [rows.map((r) => r.id), rows.filter((r) => !r.hidden).map((r) => r.id), this.clock.now()],
      );
      if (lines.length > 0) await channel.post(target, lines.join('\n'));
    });
  }

  private line(
    platform: AnnouncementPlatform,
    row: PendingRow,
    templates: { ru: string | null; en: string | null },
  ): string {
    // The template of the player's language (as their client reports it on that platform).
    const language = resolveLocale(
      (platform === 'telegram' ? row.telegram_locale : row.discord_locale) ??
        row.telegram_locale ??
        row.discord_locale,
    );
    const rank = rankById(row.rank_id);
    const where = [row.has_telegram ? 'Telegram' : null, row.has_discord ? 'Discord' : null]
      .filter(Boolean)
      .join(' + ');
    const player =
      (platform === 'telegram' ? row.telegram_name : row.discord_name) ??
      row.telegram_name ??
      row.discord_name ??
      `#${row.account_id}`;
    return renderAnnouncement(templates[language] ?? DEFAULT_ANNOUNCEMENT_TEMPLATES[language], {
      player,
      rank: language === 'ru' ? rank.nameRu : rank.nameEn,
      platform: where || platform,
    });
  }
}
