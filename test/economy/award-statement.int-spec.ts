import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { ManualClock } from '@ttfd/clock';
import { inTransaction } from '@ttfd/database';
import {
  AccountsService,
  AwardInput,
  economyTestingModule,
  LedgerService,
  ledgerDrift,
  RANKS,
  rankForXp,
  RecordingOutboxDispatcher,
  SEASON_LOCK_CLASS,
  SeasonsService,
} from '@ttfd/economy';
import {
  AccountUnlink,
  IdentityService,
  LinkCodes,
  LinkingModule,
  LinkRedeemer,
} from '@ttfd/linking';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { StatementLog } from '../support/statement-log';

/**
 * Round trips are the cost of an award: every statement the app sends is counted by wrapping
 * `pg`'s Client under it, whatever layer (TypeORM, a pool) sends it.
 */
describe('The award in one statement', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let ledger: LedgerService;
  let accounts: AccountsService;
  let dataSource: DataSource;
  const dispatcher = new RecordingOutboxDispatcher();
  const clock = new ManualClock('2026-03-10T12:00:00Z');
  const log = new StatementLog({ names: true });

  beforeAll(async () => {
    database = await createTestDatabase();
    const moduleRef = await Test.createTestingModule({
      imports: [
        economyTestingModule({
          databaseUrl: database.url,
          clock,
          dispatcher,
          poolSize: 4,
          imports: [LinkingModule],
        }),
      ],
    }).compile();
    app = moduleRef.createNestApplication();
    await app.init();
    ledger = app.get(LedgerService);
    accounts = app.get(AccountsService);
    dataSource = app.get(DataSource);
    log.start();
  });

  afterAll(async () => {
    log.stop();
    await app?.close();
    await database?.drop();
  });

  /** The statements `work` sent, in order. */
  async function statementsOf(work: () => Promise<unknown>): Promise<string[]> {
    return (await log.during(work)).sql;
  }

  const input = (accountId: string, key: string, extra: Partial<AwardInput> = {}): AwardInput => ({
    accountId,
    xp: 10,
    reason: 'daily_spin',
    source: 'telegram',
    idempotencyKey: key,
    ...extra,
  });

  async function outbox(accountId: string): Promise<{ type: string; status: string }[]> {
    return dataSource.query(
      `SELECT type, status FROM sync_events WHERE account_id = $1 ORDER BY id`,
      [accountId],
    );
  }

  it('a plain award is one named statement and writes no outbox row', async () => {
    const id = await accounts.create();
    let result: unknown;
    const statements = await statementsOf(async () => {
      result = await ledger.award(input(id, `plain:${id}`, { coins: 5 }));
    });
    expect(statements).toEqual(['ledger.award']);
    expect(result).toMatchObject({ duplicate: false, xp: 10, coins: 5, rankId: 1, unlocked: [] });
    expect(await outbox(id)).toEqual([]);
    expect(await ledgerDrift(dataSource)).toEqual([]);
  });

  it('a rank-up award is one statement: rank, newly crossed achievements and their outbox rows', async () => {
    const id = await accounts.create();
    const before = dispatcher.dispatched.length;
    let result: { rankId: number; previousRankId: number; unlocked: string[]; xp: number } = {
      rankId: 0,
      previousRankId: 0,
      unlocked: [],
      xp: 0,
    };
    const statements = await statementsOf(async () => {
      result = await ledger.award(input(id, `up:${id}`, { xp: 8_000 }));
    });
    expect(statements).toEqual(['ledger.award']);
    expect(result).toMatchObject({ rankId: 5, previousRankId: 1, xp: 8_000, unlocked: ['rank_5'] });
    const rows = await outbox(id);
    expect(rows).toEqual([
      { type: 'rank.changed', status: 'pending' },
      { type: 'achievement.unlocked', status: 'pending' },
    ]);
    const payloads: { payload: unknown; ledger_entry_id: string | null }[] = await dataSource.query(
      `SELECT payload, ledger_entry_id FROM sync_events WHERE account_id = $1 ORDER BY id`,
      [id],
    );
    expect(payloads.map((row) => row.payload)).toEqual([
      { from: 1, to: 5, xp: 8_000 },
      { code: 'rank_5' },
    ]);
    expect(payloads[0].ledger_entry_id).not.toBeNull();
    const ids: { id: string }[] = await dataSource.query(
      `SELECT id FROM sync_events WHERE account_id = $1 ORDER BY id`,
      [id],
    );
    expect(dispatcher.dispatched.slice(before)).toEqual(ids.map((row) => String(row.id)));

    // Rank 5 -> 6 crosses no achievement: nothing is inserted, only the rank row is written.
    const next = await ledger.award(input(id, `up2:${id}`, { xp: 4_000 }));
    expect(next).toMatchObject({ rankId: 6, previousRankId: 5, unlocked: [] });
    expect((await outbox(id)).map((row) => row.type)).toEqual([
      'rank.changed',
      'achievement.unlocked',
      'rank.changed',
    ]);
  });

  it("inside a caller's transaction it is the caller's BEGIN and COMMIT plus one statement", async () => {
    const id = await accounts.create();
    const statements = await statementsOf(() =>
      inTransaction(dataSource, undefined, (tx) => ledger.award(input(id, `tx:${id}`), tx)),
    );
    expect(statements).toEqual(['START TRANSACTION', 'ledger.award', 'COMMIT']);
    expect(await accounts.get(id)).toMatchObject({ xp: 10 });
  });

  it('a Discord message award with its counted achievement is still one statement', async () => {
    const id = await accounts.create();
    const statements = await statementsOf(() =>
      ledger.award(
        input(id, `discord:msg:${id}:1`, { reason: 'discord_message', source: 'discord' }),
      ),
    );
    expect(statements).toEqual(['ledger.award']);
  });

  it("a known member's message is two statements, and follows the member through link and unlink", async () => {
    const identities = app.get(IdentityService);
    const userId = `${Date.now()}1`;
    const profile = { username: 'same-name' };
    const first = await identities.resolve('discord', userId, profile);
    /** The message path's Postgres part, as MessageXpListener runs it. */
    const pay = async (n: number) => {
      const { accountId } = await identities.resolve('discord', userId, profile);
      return ledger.award(
        input(accountId, `discord:msg:${userId}:${n}`, {
          reason: 'discord_message',
          source: 'discord',
        }),
      );
    };
    let paid = await pay(1);
    expect((await statementsOf(() => pay(2))).length).toBe(2);
    expect(paid.accountId).toBe(first.accountId);

    // Linked: the Discord identity now points at the Telegram account, which gets the XP.
    const telegramUser = `${Date.now()}2`;
    const { code } = await app.get(LinkCodes).issueCode('telegram', telegramUser);
    const linked = await app.get(LinkRedeemer).redeem('discord', userId, code);
    paid = await pay(3);
    expect(paid.accountId).toBe(linked.accountId);
    expect(paid.accountId).not.toBe(first.accountId);

    // Unlinked: the Discord identity moved to a new, empty account; the profile stayed.
    const unlinked = await app.get(AccountUnlink).unlink('discord', userId);
    paid = await pay(4);
    expect(paid.accountId).toBe(unlinked.discordAccountId);
    expect(paid.xp).toBe(10);
    expect(await accounts.get(unlinked.telegramAccountId)).toMatchObject({ xp: 30 });
  });

  it('100 messages at once unlock messages_100 with the 100th, counted after the lock', async () => {
    const id = await accounts.create();
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        ledger.award(
          input(id, `discord:msg:burst:${id}:${i}`, { reason: 'discord_message', xp: 1 }),
        ),
      ),
    );
    // Each statement's snapshot predates its wait for the lock: only a count taken after the
    // lock sees the 99 rows before it.
    expect(results.filter((r) => r.unlocked.includes('messages_100'))).toHaveLength(1);
    expect(results.find((r) => r.unlocked.length > 0)).toMatchObject({ xp: 100 });
    expect(await outbox(id)).toEqual([{ type: 'achievement.unlocked', status: 'pending' }]);
  });

  it('a duplicate, a refusal and a merged account fall back and still answer right', async () => {
    const id = await accounts.create();
    const first = await ledger.award(input(id, `dup:${id}`));
    const again = await ledger.award(input(id, `dup:${id}`));
    expect(again).toMatchObject({ duplicate: true, entryId: first.entryId, xp: 10 });
    const refused = await ledger
      .spend({
        accountId: id,
        coins: 1,
        reason: 'coins_spent',
        source: 'admin',
        idempotencyKey: `s:${id}`,
      })
      .catch((error: { code?: string }) => error.code);
    expect(refused).toBe('INSUFFICIENT_COINS');
    expect(await ledgerDrift(dataSource)).toEqual([]);
  });

  it('joins the season before it locks the account, and counts the XP in the season score', async () => {
    const season = await app.get(SeasonsService).ensureOpen();
    const id = await accounts.create();
    const closer = dataSource.createQueryRunner();
    await closer.connect();
    try {
      // A close in progress holds the season lock exclusively: the award waits for it...
      await closer.startTransaction();
      await closer.query(`SELECT pg_advisory_xact_lock($1, $2)`, [SEASON_LOCK_CLASS, season.id]);
      const award = ledger.award(input(id, `season:${id}`, { xp: 30 }));
      await waitForLockWaiters(1);
      // ...holding no account meanwhile: the account is free to lock.
      const free: unknown[] = await closer.query(
        `SELECT id FROM accounts WHERE id = $1 FOR UPDATE NOWAIT`,
        [id],
      );
      expect(free).toHaveLength(1);
      await closer.commitTransaction();
      await award;
    } finally {
      await closer.release();
    }
    const scores: { xp: string }[] = await dataSource.query(
      `SELECT xp FROM season_scores WHERE season_id = $1 AND account_id = $2`,
      [season.id, id],
    );
    expect(scores).toEqual([{ xp: '30' }]);
    const entries: { season_id: number }[] = await dataSource.query(
      `SELECT season_id FROM ledger_entries WHERE account_id = $1`,
      [id],
    );
    expect(entries.map((row) => Number(row.season_id))).toEqual([season.id]);
  });

  async function waitForLockWaiters(count: number): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const [row]: { n: number }[] = await dataSource.query(
        `SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND locktype = 'advisory'
            AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      );
      if (row.n >= count) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('the award never waited for the season lock');
  }

  it('rank_for_xp equals rankForXp at every threshold and one XP around it', async () => {
    const values = RANKS.flatMap((rank) => [rank.minXp - 1, rank.minXp, rank.minXp + 1]).filter(
      (xp) => xp >= 0,
    );
    const rows: { xp: string; rank: number }[] = await dataSource.query(
      `SELECT xp, rank_for_xp(xp) AS rank FROM unnest($1::bigint[]) AS xp`,
      [values],
    );
    expect(rows.map((row) => [Number(row.xp), Number(row.rank)])).toEqual(
      values.map((xp) => [xp, rankForXp(xp).id]),
    );
    const ranks: { id: number; min_xp: string }[] = await dataSource.query(
      `SELECT id, min_xp FROM ranks ORDER BY id`,
    );
    expect(ranks.map((row) => Number(row.min_xp))).toEqual(RANKS.map((rank) => rank.minXp));
  });
});
