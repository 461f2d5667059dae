/**
 * Puts committed outbox rows on the transport (the BullMQ `sync` queue) right after commit.
 * Must return at once and never throw: a dead Redis must not block or fail an award. Rows that
 * do not make it are picked up by the relay from Postgres, the source of truth.
 */
export abstract class OutboxDispatcher {
  abstract dispatch(eventIds: string[]): void;
}
