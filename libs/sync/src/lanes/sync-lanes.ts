import { SyncEventType } from '../outbox/sync-event';
import { isBulkRoleChange } from '../processing/event-notifications';

/**
 * The lanes of the outbox: each row belongs to one, a BullMQ job wakes a lane (it carries no
 * event ids) and the worker claims the lane's due rows from Postgres. Mass changes (a remapped
 * role's resync of every holder, an import's role rewards) have a lane of their own, so a live
 * rank-up is never claimed behind thousands of them. Each platform's messages (`notify.dm`
 * rows) have a lane too, so a slow or failing platform holds neither roles nor the other's.
 */
export const SYNC_LANES = ['roles', 'roles-bulk', 'dm:telegram', 'dm:discord'] as const;
export type SyncLane = (typeof SYNC_LANES)[number];

/** The one rule that puts a row in its lane (the writer stores it; rows default to `roles`). */
export function laneOf(type: SyncEventType, payload: Record<string, unknown>): SyncLane {
  if (type === 'notify.dm') return payload.platform === 'discord' ? 'dm:discord' : 'dm:telegram';
  return isBulkRoleChange(type, payload) ? 'roles-bulk' : 'roles';
}

export function isSyncLane(value: unknown): value is SyncLane {
  return typeof value === 'string' && (SYNC_LANES as readonly string[]).includes(value);
}

/** Lanes whose rows converge a Discord member: their claims take the member's lease. */
export function leasesMembers(lane: SyncLane): boolean {
  return lane === 'roles' || lane === 'roles-bulk';
}

/**
 * Lanes that yield the machine to live role changes (mass changes and messages): a process runs
 * fewer claim loops of them (LaneClaimers), so a live rank-up's claim never queues behind theirs.
 */
export function yieldsToLiveRoles(lane: SyncLane): boolean {
  return lane !== 'roles';
}
