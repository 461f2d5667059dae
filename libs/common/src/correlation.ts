import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/**
 * The correlation id of the work in progress: set where work enters the system (an HTTP
 * request, a Telegram update, a Discord event, a job, a cron run) and read wherever a log line
 * is written or an outbox row is made, without passing it through every signature.
 * AsyncLocalStorage follows promises, timers and callbacks started inside `withCorrelation`.
 */
const storage = new AsyncLocalStorage<string>();

/** What a caller may hand us (an `X-Request-Id` header): short, no spaces, no separators. */
const ACCEPTABLE = /^[\w.:-]{1,64}$/;

/** Runs `work` with `id` as the current correlation id; without one, in the current context. */
export function withCorrelation<T>(id: string | null | undefined, work: () => T): T {
  return id ? storage.run(id, work) : work();
}

/** The current correlation id, if any work entered through a correlated door. */
export function currentCorrelationId(): string | undefined {
  return storage.getStore();
}

/** A fresh id: `prefix` says where the work came from (`http`, `tg`, `dc`, `cron`, `job`). */
export function newCorrelationId(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}

/** A caller-given id if it is acceptable (it ends up in logs and the database), else none. */
export function acceptableCorrelationId(given: unknown): string | undefined {
  return typeof given === 'string' && ACCEPTABLE.test(given) ? given : undefined;
}

/**
 * One id for work done on behalf of several causes (one role convergence for several events):
 * their distinct ids joined with commas, so a search for any one of them finds the line.
 */
export function combinedCorrelationId(ids: (string | null | undefined)[]): string | undefined {
  const distinct = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  return distinct.length > 0 ? distinct.join(',') : undefined;
}
