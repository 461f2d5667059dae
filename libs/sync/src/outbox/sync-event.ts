/** The outbox's event types (ARCHITECTURE.md flow 1 and 6). */
export const SYNC_EVENT_TYPES = [
  'xp.changed',
  'balance.changed',
  'rank.changed',
  'achievement.unlocked',
  'account.linked',
  'account.unlinked',
  'roles.resync',
  /** A link code was typed where others could see it and was burned: its owner is told. */
  'link.code_burned',
  /**
   * One message to one player on one platform (payload: platform, externalId, notification,
   * parentId), written by the worker for each event that tells the player something.
   */
  'notify.dm',
] as const;
export type SyncEventType = (typeof SYNC_EVENT_TYPES)[number];

export const SYNC_EVENT_STATUSES = ['pending', 'processing', 'completed', 'failed'] as const;
export type SyncEventStatus = (typeof SYNC_EVENT_STATUSES)[number];

/** Where a change came from. */
export const CHANGE_SOURCES = ['telegram', 'discord', 'admin', 'system'] as const;
export type ChangeSource = (typeof CHANGE_SOURCES)[number];

export interface NewSyncEvent {
  type: SyncEventType;
  source: ChangeSource;
  accountId: string;
  ledgerEntryId?: string;
  /** Names the business event; a second append with the same key is dropped. */
  idempotencyKey?: string;
  payload: Record<string, unknown>;
}
