/** What earns XP, as far as the rules are concerned. Coins are never multiplied. */
export const XP_SOURCES = ['discord_message', 'discord_voice', 'games', 'daily'] as const;
export type XpSource = (typeof XP_SOURCES)[number];

export const XP_MULTIPLIER_KINDS = ['channel', 'role'] as const;
export type XpMultiplierKind = (typeof XP_MULTIPLIER_KINDS)[number];

/** A Discord channel or role and its multiplier; 0 means "earns no XP there / with it". */
export interface XpMultiplierRule {
  kind: XpMultiplierKind;
  targetId: string;
  multiplier: number;
  note: string | null;
}

/** A double-XP window: [startsAt, endsAt), for the sources it names. */
export interface XpEvent {
  id: string;
  name: string;
  multiplier: number;
  sources: XpSource[];
  startsAt: Date;
  endsAt: Date;
}

export interface AnnouncementSettings {
  enabled: boolean;
  discordChannelId: string | null;
  telegramChatId: string | null;
  /** Null: the catalogue's default text for that language. */
  templates: { ru: string | null; en: string | null };
}

/** One consistent reading of every rule, as one process holds it. */
export interface XpRulesSnapshot {
  version: number;
  globalMultiplier: number;
  channels: ReadonlyMap<string, number>;
  roles: ReadonlyMap<string, number>;
  /** Events not yet over (past ones are not loaded). */
  events: readonly XpEvent[];
  announcements: AnnouncementSettings;
}

export const EMPTY_XP_RULES: XpRulesSnapshot = {
  version: 0,
  globalMultiplier: 1,
  channels: new Map(),
  roles: new Map(),
  events: [],
  announcements: {
    enabled: false,
    discordChannelId: null,
    telegramChatId: null,
    templates: { ru: null, en: null },
  },
};
