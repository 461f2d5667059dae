import { DataSource } from 'typeorm';
import { SyncEventRepository, SyncLane } from '@ttfd/sync';
import { OneConnection, oneConnectionRepository } from './one-connection';

/**
 * The transport's hot statements are prepared so that Postgres plans them once per connection.
 * It does only if the plan it keeps (the generic one) is not costed above a fresh one: with
 * `LIMIT $n` or arrays of the call's length, Postgres planned the claim or the settle again at
 * every call (about 1 ms of a 2-row claim's 1.8 ms). One connection, so its prepared statements
 * are the ones every call used.
 */
describe('the sync transport plans its claim and settle once per connection', () => {
  let connection: OneConnection;
  let dataSource: DataSource;
  let events: SyncEventRepository;

  beforeAll(async () => {
    connection = await oneConnectionRepository();
    ({ dataSource, events } = connection);
  });

  afterAll(async () => {
    await connection?.close();
  });

  /** 2,000 due rows in the lane; a quarter of the accounts with a Discord identity. */
  async function seed(lane: SyncLane, type: string, payload: object): Promise<void> {
    await dataSource.query(`
      WITH made AS (INSERT INTO accounts (xp) SELECT 0 FROM generate_series(1, 500) RETURNING id),
      linked AS (
        INSERT INTO identities (account_id, platform, external_id)
        SELECT id, 'discord', (400000000000000000 + id)::text FROM made WHERE id % 4 = 0)
      INSERT INTO sync_events (type, source, account_id, idempotency_key, payload, lane)
      SELECT '${type}', 'system', id, '${lane}:' || id || ':' || n, '${JSON.stringify(payload)}',
             '${lane}'
        FROM made, generate_series(1, 4) AS n`);
    await dataSource.query(`ANALYZE`);
  }

  async function plans(): Promise<Record<string, { generic: number; custom: number }>> {
    const rows: { name: string; generic_plans: string; custom_plans: string }[] =
      await dataSource.query(
        `SELECT name, generic_plans, custom_plans FROM pg_prepared_statements
          WHERE name LIKE 'sync.%'`,
      );
    return Object.fromEntries(
      rows.map((row) => [
        row.name,
        { generic: Number(row.generic_plans), custom: Number(row.custom_plans) },
      ]),
    );
  }

  /** Claims and settles `batches` batches of `limit`; returns how many rows were claimed. */
  async function work(lane: SyncLane, limit: number, batches: number): Promise<number> {
    let claimedRows = 0;
    for (let i = 0; i < batches; i += 1) {
      const holder = `plans:${lane}:${i}`;
      const claimed = await events.claim(lane, holder, limit);
      claimedRows += claimed.length;
      await events.settle(
        lane,
        holder,
        claimed.map((event) => ({ id: event.id, attempts: event.attempts, note: null })),
        [],
        lane === 'roles'
          ? claimed.map((event) => ({
              accountId: event.accountId!,
              idempotencyKey: `plans:dm:${event.id}`,
              payload: {
                parentId: event.id,
                platform: 'discord' as const,
                externalId: event.member ?? '1',
                notification: { kind: 'rankUp' as const, fromRank: 1, toRank: 2, xp: 10 },
              },
              correlationId: null,
              lane: 'dm:discord' as const,
            }))
          : [],
        claimed
          .filter((event) => event.member !== null)
          .map((event) => ({ member: event.member!, roleIds: ['500000000000000001'] })),
      );
    }
    return claimedRows;
  }

  it('role lanes: small batches from a long lane', async () => {
    await seed('roles', 'rank.changed', { from: 1, to: 2 });
    expect(await work('roles', 2, 12)).toBe(24);
    // Postgres tries five custom plans first, then keeps the generic one.
    expect(await plans()).toEqual({
      'sync.claim/roles/2': { generic: 7, custom: 5 },
      'sync.settle/roles': { generic: 7, custom: 5 },
    });
  });

  it('message lanes: the batch size the app claims, a few rows due at a time', async () => {
    await seed('dm:discord', 'notify.dm', { platform: 'discord' });
    await dataSource.query(
      `UPDATE sync_events SET next_attempt_at = now() + interval '1 day' WHERE lane = 'dm:discord'`,
    );
    let claimed = 0;
    for (let i = 0; i < 12; i += 1) {
      await dataSource.query(
        `UPDATE sync_events SET next_attempt_at = now() - interval '1 second'
          WHERE id IN (SELECT id FROM sync_events
                        WHERE lane = 'dm:discord' AND status = 'pending'
                          AND next_attempt_at > now() ORDER BY id LIMIT 3)`,
      );
      claimed += await work('dm:discord', 50, 1);
    }
    expect(claimed).toBe(36);
    expect(await plans()).toMatchObject({
      'sync.claim/dm:discord/50': { generic: 7, custom: 5 },
      'sync.settle/dm:discord': { generic: 7, custom: 5 },
    });
  });

  it('a drained lane: the claims that find nothing are not planned again either', async () => {
    // The other lanes hold thousands of rows (above); a lane kept drained is claimed empty
    // most of the time (a loop finding its lane drained, a wake-up after another loop took the
    // row): with the lane a parameter, its fresh plan was costed below the generic one.
    for (let i = 0; i < 12; i += 1) {
      expect(await events.claim('roles-bulk', `plans:empty:${i}`, 50)).toEqual([]);
      expect(await events.claim('dm:telegram', `plans:empty:${i}`, 50)).toEqual([]);
    }
    expect(await plans()).toMatchObject({
      'sync.claim/roles-bulk/50': { generic: 7, custom: 5 },
      'sync.claim/dm:telegram/50': { generic: 7, custom: 5 },
    });
  });
});
