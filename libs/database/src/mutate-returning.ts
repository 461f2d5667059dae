import { DataSource, EntityManager } from 'typeorm';

/**
 * Rows of an `UPDATE` / `DELETE ... RETURNING`: TypeORM answers those with
 * `[rows, affectedCount]` instead of the rows alone.
 */
export async function mutateReturning<T>(
  db: EntityManager | DataSource,
  sql: string,
  params: unknown[],
): Promise<T[]> {
  const result: unknown = await db.query(sql, params);
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  ) {
    return result[0] as T[];
  }
  return result as T[];
}
