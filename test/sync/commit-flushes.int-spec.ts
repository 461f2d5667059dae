import { DataSource } from 'typeorm';
import { SyncEventRepository, SyncLane } from '@ttfd/sync';
import { OneConnection, oneConnectionRepository } from './one-connection';

/**
 * Which of the transport's commits wait for their WAL flush (sync-statements.ts,
 * COMMITS_WITHOUT_FLUSH). At 500 rank-ups/s the flushes of claims and settles queued one behind
 * another and were most of the time from an award's commit to its role call. A role lane's claim
 * and settle and a lease renewal only record progress: they commit without waiting. A message
 * lane's claim waits, so nothing a message depends on (its row, whose id is its nonce) can be
 * lost after it is sent. Counted by the server (`pg_stat_wal.wal_sync`) on one connection.
 */
describe('the sync transport waits for the disk only before a message goes out', () => {
  let connection: OneConnection;
  let dataSource: DataSource;
  let events: SyncEventRepository;

  beforeAll(async () => {
    connection = await oneConnectionRepository();
    ({ dataSource, events } = connection);
    await dataSource.query(`
      WITH made AS (INSERT INTO accounts (xp) SELECT 0 FROM generate_series(1, 60) RETURNING id),
      linked AS (
        INSERT INTO identities (account_id, platform, external_id)
        SELECT id, 'discord', (400000000000000000 + id)::text FROM made)
      INSERT INTO sync_events (type, source, account_id, idempotency_key, payload)
      SELECT 'rank.changed', 'system', id, 'flushes:' || id, '{"from": 1, "to": 2}' FROM made`);
  });

  afterAll(async () => {
    await connection?.close();
  });

  /** The server's WAL flushes while `work` runs (this connection's, flushed to the view). */
  async function flushesDuring(work: () => Promise<void>): Promise<number> {
    const walSyncs = async () => {
      // Makes the backend report its pending statistics as it goes idle after this statement.
      await dataSource.query(`SELECT pg_stat_force_next_flush()`);
      const [row]: { n: string }[] = await dataSource.query(
        `SELECT wal_sync AS n FROM pg_stat_wal`,
      );
      return Number(row.n);
    };
    const before = await walSyncs();
    await work();
    await walSyncs();
    return (await walSyncs()) - before;
  }

  const done = (claimed: { id: string; attempts: number }[]) =>
    claimed.map((event) => ({ id: event.id, attempts: event.attempts, note: null }));

  it('a role lane claims, renews and settles without waiting; the settle writes the DM rows', async () => {
    const batches = 30;
    const flushes = await flushesDuring(async () => {
      for (let i = 0; i < batches; i += 1) {
        const holder = `flushes:roles:${i}`;
        const claimed = await events.claim('roles', holder, 2);
        expect(claimed).toHaveLength(2);
        await events.renewLease(done(claimed), holder);
        await events.settle(
          'roles',
          holder,
          done(claimed),
          [],
          claimed.map((event) => ({
            accountId: event.accountId!,
            idempotencyKey: `flushes:dm:${event.id}`,
            payload: {
              parentId: event.id,
              platform: 'discord' as const,
              externalId: event.member!,
              notification: { kind: 'rankUp' as const, fromRank: 1, toRank: 2, xp: 10 },
            },
            correlationId: null,
            lane: 'dm:discord' as SyncLane,
          })),
          claimed.map((event) => ({ member: event.member!, roleIds: ['500000000000000001'] })),
        );
      }
    });
    // 90 commits; the WAL writer flushes what they wrote in the background, a few times a second.
    expect(flushes).toBeLessThan(batches / 2);
    const [row]: { n: string }[] = await dataSource.query(
      `SELECT count(*) AS n FROM sync_events WHERE lane = 'dm:discord' AND status = 'pending'`,
    );
    expect(Number(row.n)).toBe(batches * 2);
  });

  it("a message lane's claim waits for its flush; its settle does not", async () => {
    const claims = 20;
    const flushes = await flushesDuring(async () => {
      for (let i = 0; i < claims; i += 1) {
        const claimed = await events.claim('dm:discord', `flushes:dm:${i}`, 1);
        expect(claimed).toHaveLength(1);
        await events.settle('dm:discord', `flushes:dm:${i}`, done(claimed), []);
      }
    });
    // One per claim, whose flush takes the settle before it along (none where the WAL writer
    // happened to flush the claim's commit first), and a few of the WAL writer's own: with every
    // commit waiting it was two per claim.
    expect(flushes).toBeGreaterThanOrEqual(claims * 0.75);
    expect(flushes).toBeLessThan(claims * 1.5);
  });
});
