import { Platform } from '@ttfd/linking';

export const IMPORT_SOURCES = ['mee6', 'csv', 'stage1'] as const;
export type ImportSource = (typeof IMPORT_SOURCES)[number];

/** One ledger row an import wants to write (its key makes a second run a no-op). */
export interface PlannedEntry {
  key: string;
  xp: number;
  coins: number;
  /** What the source said about the row (stage 1: its reason and date), kept on the ledger row. */
  metadata?: Record<string, unknown>;
}

/** One player of the source, validated: the identity to find or create, and what they get. */
export interface PlannedPlayer {
  platform: Platform;
  externalId: string;
  displayName: string | null;
  entries: PlannedEntry[];
  /** Our achievement codes the source says the player holds (stage-1 mapping). */
  achievements: string[];
}

/** A rank-role mapping a source offers (MEE6 role rewards): applied only when asked. */
export interface OfferedRoleMapping {
  rankId: number;
  discordRoleId: string;
  /** Where it comes from, for the report (`MEE6 level 5 reward "Regular"`). */
  origin: string;
}

/** Everything validated, nothing written: the writer's only input. */
export interface ImportPlan {
  source: ImportSource;
  players: PlannedPlayer[];
  /** Source-specific findings for the report (duplicates dropped, histories that did not add up). */
  notes: ImportNote[];
  offeredRoleMappings: OfferedRoleMapping[];
}

export interface ImportNote {
  kind:
    | 'duplicate_dropped'
    | 'history_mismatch'
    | 'negative_total_zeroed'
    | 'zero_transaction_skipped'
    | 'achievement_unmapped';
  /** The player (platform:id) or source row it is about. */
  subject: string;
  detail: string;
  /** How far off a history was (stage-1): XP and coins. */
  xp?: number;
  coins?: number;
}

/** Amounts are exact JavaScript numbers (GraphQL SafeInt): 2^53 - 1 at most. */
export const MAX_AMOUNT = Number.MAX_SAFE_INTEGER;
