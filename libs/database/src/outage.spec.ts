import { QueryFailedError } from 'typeorm';
import { isStoreOutage } from './outage';

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('isStoreOutage', () => {
  it('recognises a Redis that is down (ioredis without an offline queue)', () => {
    expect(isStoreOutage(new Error('Connection is closed.'))).toBe(true);
    expect(
      isStoreOutage(new Error("Stream isn't writeable and enableOfflineQueue options is false")),
    ).toBe(true);
    const maxRetries = Object.assign(
      new Error('Reached the max retries per request limit (which is 1).'),
      { name: 'MaxRetriesPerRequestError' },
    );
    expect(isStoreOutage(maxRetries)).toBe(true);
    expect(isStoreOutage(withCode('connect ECONNREFUSED 127.0.0.1:6390', 'ECONNREFUSED'))).toBe(
      true,
    );
  });

  it('recognises a Postgres that is down, also wrapped by TypeORM or as a cause', () => {
    expect(isStoreOutage(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isStoreOutage(new Error('timeout exceeded when trying to connect'))).toBe(true);
    const shutdown = withCode('terminating connection due to administrator command', '57P01');
    expect(isStoreOutage(new QueryFailedError('SELECT 1', [], shutdown))).toBe(true);
    expect(isStoreOutage(new Error('award failed', { cause: withCode('x', '08006') }))).toBe(true);
  });

  it('leaves bugs and refused input alone', () => {
    expect(isStoreOutage(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(
      false,
    );
    const unique = withCode('duplicate key value violates unique constraint', '23505');
    expect(isStoreOutage(new QueryFailedError('INSERT', [], unique))).toBe(false);
    expect(isStoreOutage('Connection is closed.')).toBe(false);
    expect(isStoreOutage(undefined)).toBe(false);
    const loop: { cause?: unknown; message: string } = { message: 'loop' };
    loop.cause = loop;
    expect(isStoreOutage(loop)).toBe(false);
  });
});
