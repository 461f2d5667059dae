import { Injectable } from '@nestjs/common';
import { Clock } from '@ttfd/clock';
import { AppConfig } from '@ttfd/config';
import {
  ANNOUNCEMENT_TEMPLATE_MAX,
  ANNOUNCEMENT_PLACEHOLDERS,
  unknownPlaceholders,
} from './announcement-template';
import { parseCommunityTime } from './community-time';
import { XpRulesError } from './xp-rules.error';
import { XpRules } from './xp-rules.service';
import { XpRulesStore } from './xp-rules.store';
import {
  AnnouncementSettings,
  XP_MULTIPLIER_KINDS,
  XP_SOURCES,
  XpEvent,
  XpMultiplierKind,
  XpMultiplierRule,
  XpSource,
} from './xp-rules.types';

const SNOWFLAKE = /^[0-9]{17,20}$/;
const TELEGRAM_CHAT = /^-?[0-9]{1,20}$/;
const MAX_EVENT_DAYS = 31;

export interface XpRulesOverview {
  version: number;
  globalMultiplier: number;
  multipliers: XpMultiplierRule[];
  /** DISCORD_NO_XP_CHANNEL_IDS: no XP there unless a channel rule says otherwise. */
  defaultNoXpChannelIds: string[];
  /** Upcoming and running events, then the last ones that ended. */
  events: XpEvent[];
  announcements: AnnouncementSettings;
  timeZone: string;
}

export interface NewXpEvent {
  name: string;
  multiplier: number;
  sources: string[];
  /** "YYYY-MM-DDTHH:mm" in COMMUNITY_TIMEZONE, or ISO 8601 with an offset. */
  startsAt: string;
  endsAt: string;
}

export interface AnnouncementChange {
  enabled?: boolean;
  /** null clears it. */
  discordChannelId?: string | null;
  telegramChatId?: string | null;
  templateRu?: string | null;
  templateEn?: string | null;
}

/**
 * Admins' edits of the XP rules (REST and GraphQL call this). Every input is checked before
 * anything is written, refusals are XpRulesError INVALID_XP_RULE with a message that says what
 * to send instead; each change bumps the version (XpRulesStore.change) and reloads this
 * process's cache, the others follow within XP_RULES_REFRESH_MS.
 */
@Injectable()
export class XpRulesAdmin {
  private readonly timeZone: string;
  private readonly defaultNoXp: string[];

  constructor(
    private readonly store: XpRulesStore,
    private readonly rules: XpRules,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.timeZone = config.communityTimeZone;
    this.defaultNoXp = config.env.DISCORD_NO_XP_CHANNEL_IDS;
  }

  async overview(): Promise<XpRulesOverview> {
    const snapshot = await this.store.load();
    return {
      version: snapshot.version,
      globalMultiplier: snapshot.globalMultiplier,
      multipliers: await this.store.multipliers(),
      defaultNoXpChannelIds: this.defaultNoXp,
      events: await this.store.events(this.clock.now()),
      announcements: snapshot.announcements,
      timeZone: this.timeZone,
    };
  }

  async setGlobalMultiplier(multiplier: number): Promise<XpRulesOverview> {
    checkMultiplier(multiplier, 'globalMultiplier');
    await this.store.change((m) => this.store.setGlobalMultiplier(m, multiplier));
    return this.changed();
  }

  /** Sets (or replaces) a channel's or role's multiplier; 0 makes it a no-XP channel / role. */
  async setMultiplier(
    kind: string,
    targetId: string,
    multiplier: number,
    note?: string | null,
  ): Promise<XpRulesOverview> {
    const checkedKind = checkKind(kind);
    if (!SNOWFLAKE.test(targetId)) {
      throw invalid(
        `targetId must be a Discord ${checkedKind} id (17-20 digits), got "${targetId}"`,
      );
    }
    checkMultiplier(multiplier, 'multiplier');
    if (note != null && note.length > 200) throw invalid('note must be at most 200 characters');
    await this.store.change((m) =>
      this.store.putMultiplier(m, { kind: checkedKind, targetId, multiplier, note: note ?? null }),
    );
    return this.changed();
  }

  /** Removes a channel's or role's rule (a channel falls back to DISCORD_NO_XP_CHANNEL_IDS). */
  async removeMultiplier(kind: string, targetId: string): Promise<XpRulesOverview> {
    const checkedKind = checkKind(kind);
    await this.store.change((m) => this.store.removeMultiplier(m, checkedKind, targetId));
    return this.changed();
  }

  async createEvent(input: NewXpEvent): Promise<XpRulesOverview> {
    const name = input.name?.trim() ?? '';
    if (name.length < 1 || name.length > 100) throw invalid('name must be 1-100 characters');
    if (!Number.isFinite(input.multiplier) || input.multiplier <= 1 || input.multiplier > 10) {
      throw invalid(
        `multiplier of an event must be above 1 and at most 10, got ${input.multiplier}`,
      );
    }
    checkTwoDecimals(input.multiplier, 'multiplier');
    const sources = [...new Set(input.sources ?? [])];
    if (sources.length === 0)
      throw invalid(`sources must name at least one of ${XP_SOURCES.join(', ')}`);
    const unknown = sources.filter((s) => !(XP_SOURCES as readonly string[]).includes(s));
    if (unknown.length > 0) {
      throw invalid(`unknown source(s) ${unknown.join(', ')}: use ${XP_SOURCES.join(', ')}`);
    }
    const startsAt = this.time(input.startsAt, 'startsAt');
    const endsAt = this.time(input.endsAt, 'endsAt');
    if (endsAt <= startsAt) throw invalid('endsAt must be after startsAt');
    if (endsAt.getTime() - startsAt.getTime() > MAX_EVENT_DAYS * 86_400_000) {
      throw invalid(`an event lasts at most ${MAX_EVENT_DAYS} days`);
    }
    if (endsAt <= this.clock.now())
      throw invalid('endsAt is in the past: the event would never run');
    await this.store.change((m) =>
      this.store.insertEvent(m, {
        name,
        multiplier: input.multiplier,
        sources: sources as XpSource[],
        startsAt,
        endsAt,
      }),
    );
    return this.changed();
  }

  async deleteEvent(id: string): Promise<XpRulesOverview> {
    if (!/^[0-9]{1,18}$/.test(id))
      throw new XpRulesError('XP_EVENT_NOT_FOUND', `No XP event ${id}`);
    await this.store.change(async (m) => {
      // Thrown inside the change: the version is not bumped for nothing.
      if (!(await this.store.deleteEvent(m, id)))
        throw new XpRulesError('XP_EVENT_NOT_FOUND', `No XP event ${id}`, { id });
    });
    return this.changed();
  }

  async setAnnouncements(change: AnnouncementChange): Promise<XpRulesOverview> {
    const current = (await this.store.load()).announcements;
    const next = {
      enabled: change.enabled ?? current.enabled,
      discordChannelId: pick(change.discordChannelId, current.discordChannelId),
      telegramChatId: pick(change.telegramChatId, current.telegramChatId),
      ru: pick(change.templateRu, current.templates.ru),
      en: pick(change.templateEn, current.templates.en),
    };
    if (next.discordChannelId !== null && !SNOWFLAKE.test(next.discordChannelId)) {
      throw invalid('discordChannelId must be a Discord channel id (17-20 digits)');
    }
    if (next.telegramChatId !== null && !TELEGRAM_CHAT.test(next.telegramChatId)) {
      throw invalid('telegramChatId must be a Telegram chat id (digits, a group starts with -)');
    }
    for (const [language, template] of [
      ['ru', next.ru],
      ['en', next.en],
    ] as const) {
      if (template === null) continue;
      if (template.trim().length === 0 || template.length > ANNOUNCEMENT_TEMPLATE_MAX) {
        throw invalid(`template ${language} must be 1-${ANNOUNCEMENT_TEMPLATE_MAX} characters`);
      }
      const unknown = unknownPlaceholders(template);
      if (unknown.length > 0) {
        throw invalid(
          `template ${language} uses unknown placeholder(s) ${unknown.map((u) => `{${u}}`).join(', ')}: use ${ANNOUNCEMENT_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`,
        );
      }
    }
    if (next.enabled && next.discordChannelId === null && next.telegramChatId === null) {
      throw invalid('announcements need a discordChannelId or a telegramChatId to be enabled');
    }
    await this.store.change((m) =>
      this.store.setAnnouncements(m, {
        enabled: next.enabled,
        discordChannelId: next.discordChannelId,
        telegramChatId: next.telegramChatId,
        templates: { ru: next.ru, en: next.en },
      }),
    );
    return this.changed();
  }

  private async changed(): Promise<XpRulesOverview> {
    await this.rules.reload();
    return this.overview();
  }

  private time(text: string | undefined, field: string): Date {
    const parsed = typeof text === 'string' ? parseCommunityTime(text, this.timeZone) : null;
    if (!parsed) {
      throw invalid(
        `${field} must be a time like 2026-12-31T18:00 (read in ${this.timeZone}) or ISO 8601 with an offset`,
      );
    }
    return parsed;
  }
}

function pick<T>(given: T | undefined, current: T): T {
  return given === undefined ? current : given;
}

function checkKind(kind: string): XpMultiplierKind {
  if (!(XP_MULTIPLIER_KINDS as readonly string[]).includes(kind)) {
    throw invalid(`kind must be ${XP_MULTIPLIER_KINDS.join(' or ')}, got "${kind}"`);
  }
  return kind as XpMultiplierKind;
}

function checkMultiplier(value: number, field: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 10) {
    throw invalid(`${field} must be from 0 (no XP) to 10, got ${String(value)}`);
  }
  checkTwoDecimals(value, field);
}

function checkTwoDecimals(value: number, field: string): void {
  if (Math.abs(Math.round(value * 100) - value * 100) > 1e-9) {
    throw invalid(`${field} has at most two decimals, got ${value}`);
  }
}

function invalid(message: string): XpRulesError {
  return new XpRulesError('INVALID_XP_RULE', message);
}
