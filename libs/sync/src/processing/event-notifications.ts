import { Notification } from '../ports/notifier';
import { SyncEventType } from '../outbox/sync-event';

/** What a player is told about an event (none for totals and resyncs). */
export function notificationFor(
  type: SyncEventType,
  payload: Record<string, unknown>,
): Notification | null {
  switch (type) {
    case 'rank.changed': {
      const fromRank = Number(payload.from);
      const toRank = Number(payload.to);
      const xp = Number(payload.xp);
      return toRank > fromRank
        ? { kind: 'rankUp', fromRank, toRank, xp }
        : { kind: 'rankDown', fromRank, toRank, xp };
    }
    case 'achievement.unlocked':
      return { kind: 'achievement', code: String(payload.code) };
    case 'account.linked':
      return { kind: 'linked' };
    case 'account.unlinked':
      return { kind: 'unlinked' };
    case 'link.code_burned':
      return { kind: 'linkCodeBurned' };
    case 'xp.changed':
    case 'balance.changed':
    case 'roles.resync':
    case 'notify.dm': // the message itself, told by its own lane
      return null;
  }
}

/**
 * A role change that may wait behind live ones: a resync written for a mass change (a mapping
 * changed and every holder is resynced, or a writer marks it `bulk: true`). Its Discord calls
 * only spend the budget live role changes leave (ConvergeOptions.bulk).
 */
export function isBulkRoleChange(type: SyncEventType, payload: Record<string, unknown>): boolean {
  if (type !== 'roles.resync') return false;
  if (payload.bulk === true) return true;
  return typeof payload.reason === 'string' && payload.reason.endsWith('_mapping_changed');
}

/** Events whose effect includes converging the account's Discord roles. */
export function affectsRoles(type: SyncEventType): boolean {
  switch (type) {
    case 'rank.changed':
    case 'achievement.unlocked':
    case 'account.linked':
    case 'account.unlinked':
    case 'roles.resync':
      return true;
    case 'xp.changed':
    case 'balance.changed':
    case 'link.code_burned':
    case 'notify.dm':
      return false;
  }
}

/**
 * Events with nothing to do on any platform: they record a change of totals, and are written
 * already completed (no job, no claim), so the pipeline's work is only what has an effect.
 */
export function hasPlatformEffect(type: SyncEventType): boolean {
  // Every event told to a player converges roles too, except a burned code (a message only).
  return affectsRoles(type) || type === 'link.code_burned' || type === 'notify.dm';
}
