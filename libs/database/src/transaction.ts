import { Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

const logger = new Logger('Transaction');

/**
 * A transaction that callers can join. Services take an optional `Tx`: given one, they run
 * inside it; without one, they open their own. Work that must only happen once the data is
 * durable (putting outbox rows on the queue, notifying) is registered with `afterCommit` and
 * runs after the outermost commit, never on rollback.
 */
export class Tx {
  private readonly callbacks: (() => void)[] = [];

  constructor(readonly manager: EntityManager) {}

  afterCommit(callback: () => void): void {
    this.callbacks.push(callback);
  }

  /** @internal run by `inTransaction` once committed. */
  runAfterCommit(): void {
    for (const callback of this.callbacks.splice(0)) {
      try {
        callback();
      } catch (error) {
        // Best effort by design (the sync sweep catches up from Postgres): a failing after-commit
        // step must never turn a committed change into a reported failure.
        logger.warn(`After-commit step failed: ${(error as Error).message}`);
      }
    }
  }
}

/** Runs `work` in `tx` when given, else in a new transaction on `dataSource`. */
export async function inTransaction<T>(
  dataSource: DataSource,
  tx: Tx | undefined,
  work: (tx: Tx) => Promise<T>,
): Promise<T> {
  if (tx) return work(tx);
  let created: Tx | undefined;
  const result = await dataSource.transaction(async (manager) => {
    created = new Tx(manager);
    return work(created);
  });
  created?.runAfterCommit();
  return result;
}
