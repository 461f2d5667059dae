import { SyncLane, laneOf } from '../lanes/sync-lanes';
import { Notification, NotifierPlatform } from '../ports/notifier';
import { notificationFor } from './event-notifications';
import { ClaimedEvent } from './sync-event.repository';

/** A `notify.dm` row to write: one message to one player on one platform. */
export interface NotificationRow {
  accountId: string;
  lane: SyncLane;
  /** `notify:{parent}:{platform}:{account}`: a parent settled twice writes each row once. */
  idempotencyKey: string;
  payload: NotificationPayload;
  correlationId: string | null;
}

export interface NotificationPayload {
  parentId: string;
  platform: NotifierPlatform;
  externalId: string;
  notification: Notification;
}

/**
 * The messages of claimed role-lane events, one row per platform identity told: every platform
 * of the account (an unlink: of the Telegram side's account too), except those an attempt from
 * before per-platform rows already told (`deliveredPlatforms`). Written by the batch's settle
 * statement, on every attempt of the parent, idempotently. Opt-outs are checked when the row
 * is sent (the player may change their mind meanwhile).
 */
export function notificationRows(events: ClaimedEvent[]): NotificationRow[] {
  const rows: NotificationRow[] = [];
  for (const event of events) {
    const notification = notificationFor(event.type, event.payload);
    if (!notification || event.accountId === null) continue;
    const accounts = new Set([event.accountId, ...relatedAccounts(event)]);
    for (const identity of event.identities) {
      if (!accounts.has(identity.accountId)) continue;
      if (event.deliveredPlatforms.includes(identity.platform)) continue;
      const payload: NotificationPayload = {
        parentId: event.id,
        platform: identity.platform,
        externalId: identity.externalId,
        notification,
      };
      rows.push({
        accountId: identity.accountId,
        lane: laneOf('notify.dm', { ...payload }),
        idempotencyKey: `notify:${event.id}:${identity.platform}:${identity.accountId}`,
        payload,
        correlationId: event.correlationId,
      });
    }
  }
  return rows;
}

/** An unlink is told to both sides: the Telegram side keeps the old account. */
function relatedAccounts(event: ClaimedEvent): string[] {
  if (event.type !== 'account.unlinked') return [];
  const telegram = event.payload.telegramAccountId;
  return typeof telegram === 'string' || typeof telegram === 'number' ? [String(telegram)] : [];
}
