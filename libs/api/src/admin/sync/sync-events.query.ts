import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { decodeCursor, encodeCursor, pageSize } from '@ttfd/economy';

export interface SyncEventFilter {
  status?: string;
  type?: string;
  accountId?: string;
}

export interface SyncEventView {
  id: string;
  type: string;
  source: string;
  accountId: string | null;
  status: string;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  /** What the platform refused on the last failed attempt (`sync_events.failure`), if recorded. */
  failure: SyncFailure | null;
  /** Of the request, update or Discord event that caused it: search the logs for it. */
  correlationId: string | null;
  payload: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
  nextAttemptAt: Date;
  completedAt: Date | null;
}

/** The transport's record of a refused attempt (the contract of `sync_events.failure`). */
export interface SyncFailure {
  message: string;
  httpStatus: number | null;
  discordCode: number | null;
  roleId: string | null;
  memberId: string | null;
}

export interface SyncEventPage {
  events: SyncEventView[];
  endCursor: string | null;
  hasNextPage: boolean;
}

/** The admin's view of the outbox, newest first, keyset-paged on id (a read model only). */
@Injectable()
export class SyncEventsQuery {
  constructor(private readonly dataSource: DataSource) {}

  async page(
    filter: SyncEventFilter,
    first = 50,
    after: string | null = null,
  ): Promise<SyncEventPage> {
    const size = pageSize(first, 500);
    const cursor = after ? decodeCursor(after, ['i'] as const) : null;
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT id, type, source, account_id, status, attempts, max_attempts, last_error, payload,
              correlation_id, failure,
              created_at, updated_at, next_attempt_at, completed_at
         FROM sync_events
        WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR type = $2)
          AND ($3::bigint IS NULL OR account_id = $3::bigint)
          AND ($4::bigint IS NULL OR id < $4::bigint)
        ORDER BY id DESC LIMIT $5`,
      [
        filter.status ?? null,
        filter.type ?? null,
        filter.accountId ?? null,
        cursor?.i ?? null,
        size + 1,
      ],
    );
    const events = rows.slice(0, size).map((row): SyncEventView => ({
      id: String(row.id),
      type: String(row.type),
      source: String(row.source),
      accountId: row.account_id === null ? null : String(row.account_id),
      status: String(row.status),
      attempts: Number(row.attempts),
      maxAttempts: Number(row.max_attempts),
      lastError: (row.last_error as string | null) ?? null,
      correlationId: (row.correlation_id as string | null) ?? null,
      failure: failureOf(row.failure),
      payload: row.payload as Record<string, unknown>,
      createdAt: new Date(row.created_at as Date),
      updatedAt: new Date(row.updated_at as Date),
      nextAttemptAt: new Date(row.next_attempt_at as Date),
      completedAt: row.completed_at ? new Date(row.completed_at as Date) : null,
    }));
    const last = events[events.length - 1];
    return {
      events,
      endCursor: last ? encodeCursor({ i: last.id }) : null,
      hasNextPage: rows.length > size,
    };
  }
}

/** Reads the stored failure defensively: older rows have none, and a writer may omit fields. */
function failureOf(value: unknown): SyncFailure | null {
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  const text = (field: unknown) =>
    typeof field === 'string' || typeof field === 'number' ? String(field) : null;
  const count = (field: unknown) =>
    typeof field === 'number' && Number.isFinite(field) ? field : null;
  return {
    message: typeof record.message === 'string' ? record.message : '',
    httpStatus: count(record.httpStatus),
    discordCode: count(record.discordCode),
    roleId: text(record.roleId),
    memberId: text(record.memberId),
  };
}
