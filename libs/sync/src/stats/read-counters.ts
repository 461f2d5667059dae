import { EntityManager } from 'typeorm';
import { SyncEventStatus } from '../outbox/sync-event';

export interface SyncEventCount {
  type: string;
  status: SyncEventStatus;
  count: number;
}

export interface CommunityCounts {
  players: number;
  linkedPlayers: number;
}

/**
 * The read models the gauges and the overview use instead of scanning (migration
 * 1764520000000): counters kept by triggers in the writer's transaction, spread over a few slots
 * per key so concurrent writers do not queue on one row; a read sums the slots (a few hundred
 * rows at most, whatever the history holds).
 */
export async function readSyncEventCounts(manager: EntityManager): Promise<SyncEventCount[]> {
  return syncEventCountsOf(await manager.query(`${SYNC_EVENT_COUNTS_SQL} ORDER BY type, status`));
}

/** The counters' rows (type, status, n), their slots summed: a statement of its own or a part. */
export const SYNC_EVENT_COUNTS_SQL = `SELECT type, status, sum(n) AS n FROM sync_event_counts
  GROUP BY type, status HAVING sum(n) <> 0`;

/** Rows of SYNC_EVENT_COUNTS_SQL (or their json_agg) as counts. */
export function syncEventCountsOf(
  rows: { type: string; status: SyncEventStatus; n: string | number }[] | null,
): SyncEventCount[] {
  return (rows ?? []).map((row) => ({ type: row.type, status: row.status, count: Number(row.n) }));
}

/**
 * One community counter (`players`: live accounts; `linked_players`: accounts on both
 * platforms), its slots summed, as a scalar subquery: a statement of its own or a part of one
 * (the dashboard's overview).
 */
export function communityCountSql(name: 'players' | 'linked_players'): string {
  return `(SELECT coalesce(sum(n), 0) FROM community_counts WHERE name = '${name}')`;
}

export async function readCommunityCounts(manager: EntityManager): Promise<CommunityCounts> {
  const [row]: { players: string; linked: string }[] = await manager.query(
    `SELECT ${communityCountSql('players')} AS players,
            ${communityCountSql('linked_players')} AS linked`,
  );
  return { players: Number(row.players), linkedPlayers: Number(row.linked) };
}
