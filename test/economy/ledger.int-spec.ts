import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { ManualClock } from '@ttfd/clock';
import { inTransaction } from '@ttfd/database';
import {
  AccountsService,
  AwardInput,
  EconomyError,
  economyTestingModule,
  LedgerService,
  ledgerDrift,
  newAccount,
  RANKS,
  RecordingOutboxDispatcher,
} from '@ttfd/economy';
import { createTestDatabase, TestDatabase } from '../support/test-database';

describe('LedgerService on Postgres', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let ledger: LedgerService;
  let accounts: AccountsService;
  let dataSource: DataSource;
  const dispatcher = new RecordingOutboxDispatcher();
  const clock = new ManualClock('2026-03-10T12:00:00Z');

  beforeAll(async () => {
    database = await createTestDatabase();
    const moduleRef = await Test.createTestingModule({
      imports: [
        economyTestingModule({ databaseUrl: database.url, clock, dispatcher, poolSize: 10 }),
      ],
    }).compile();
    app = moduleRef.createNestApplication();
    await app.init();
    ledger = app.get(LedgerService);
    accounts = app.get(AccountsService);
    dataSource = app.get(DataSource);
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const award = (accountId: string, key: string, extra: Partial<AwardInput> = {}) =>
    ledger.award({
      accountId,
      xp: 10,
      reason: 'discord_message',
      source: 'discord',
      idempotencyKey: key,
      ...extra,
    });

  async function events(accountId: string, type: string): Promise<Record<string, unknown>[]> {
    const rows: { payload: Record<string, unknown> }[] = await dataSource.query(
      `SELECT payload FROM sync_events WHERE account_id = $1 AND type = $2 ORDER BY id`,
      [accountId, type],
    );
    return rows.map((row) => row.payload);
  }

  async function snapshot(): Promise<string> {
    const [accountsRows, ledgerRows, eventRows, achievementRows] = await Promise.all([
      dataSource.query(`SELECT id, xp, coins, rank_id FROM accounts ORDER BY id`),
      dataSource.query(`SELECT count(*)::int AS n FROM ledger_entries`),
      dataSource.query(`SELECT count(*)::int AS n FROM sync_events`),
      dataSource.query(`SELECT count(*)::int AS n FROM account_achievements`),
    ]);
    return JSON.stringify([accountsRows, ledgerRows, eventRows, achievementRows]);
  }

  it('the database ranks table equals RANKS', async () => {
    const rows: { id: number; name_ru: string; name_en: string; min_xp: string }[] =
      await dataSource.query(`SELECT id, name_ru, name_en, min_xp FROM ranks ORDER BY id`);
    expect(
      rows.map((row) => ({
        id: Number(row.id),
        nameRu: row.name_ru,
        nameEn: row.name_en,
        minXp: Number(row.min_xp),
      })),
    ).toEqual(RANKS);
  });

  it('awards XP and coins in one entry; only real effects get outbox rows, and those are dispatched', async () => {
    const id = await accounts.create();
    const before = dispatcher.dispatched.length;
    const result = await ledger.award({
      accountId: id,
      xp: 100,
      coins: 50,
      reason: 'daily_reward',
      source: 'telegram',
      idempotencyKey: `daily:${id}:2026-03-10`,
    });
    expect(result).toMatchObject({
      duplicate: false,
      accountId: id,
      xp: 100,
      coins: 50,
      rankId: 1,
    });
    const entries = await dataSource.query(
      `SELECT xp_delta, coins_delta, reason, source, created_at FROM ledger_entries WHERE account_id = $1`,
      [id],
    );
    expect(entries).toEqual([
      {
        xp_delta: '100',
        coins_delta: '50',
        reason: 'daily_reward',
        source: 'telegram',
        created_at: clock.now(),
      },
    ]);
    // Totals only: the ledger row is the record, no outbox row, nothing dispatched.
    const outboxRows: unknown[] = await dataSource.query(
      `SELECT type FROM sync_events WHERE account_id = $1`,
      [id],
    );
    expect(outboxRows).toEqual([]);
    expect(dispatcher.dispatched.length - before).toBe(0);
    const rankUp = await ledger.award({
      accountId: id,
      xp: 5_000,
      reason: 'admin_adjustment',
      source: 'admin',
      idempotencyKey: `rank-up:${id}`,
    });
    const pending: { id: string }[] = await dataSource.query(
      `SELECT id FROM sync_events WHERE account_id = $1 AND status = 'pending' ORDER BY id`,
      [id],
    );
    expect(rankUp.rankId).toBeGreaterThan(1);
    expect(pending.length).toBeGreaterThan(0);
    expect(dispatcher.dispatched.slice(before)).toEqual(pending.map((row) => String(row.id)));
  });

  it('50 concurrent awards with one key make one entry and move the totals once', async () => {
    const id = await accounts.create();
    const key = `test:same-key:${id}`;
    const results = await Promise.all(
      Array.from({ length: 50 }, () => award(id, key, { xp: 7, coins: 3 })),
    );
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    const first = results.find((r) => !r.duplicate)!;
    for (const result of results) expect(result.entryId).toBe(first.entryId);
    const [{ n }] = await dataSource.query(
      `SELECT count(*)::int AS n FROM ledger_entries WHERE idempotency_key = $1`,
      [key],
    );
    expect(n).toBe(1);
    expect(await accounts.get(id)).toMatchObject({ xp: 7, coins: 3 });
  });

  it('2,000 concurrent awards over 20 accounts: every total equals its ledger sums', async () => {
    const ids = await Promise.all(Array.from({ length: 20 }, () => accounts.create()));
    const [{ n: before }] = await dataSource.query(
      `SELECT count(*)::int AS n FROM ledger_entries WHERE account_id = ANY($1::bigint[])`,
      [ids],
    );
    expect(before).toBe(0);
    const expected = new Map<string, { xp: number; coins: number }>(
      ids.map((id) => [id, { xp: 0, coins: 0 }]),
    );
    const calls = Array.from({ length: 2000 }, (_, i) => {
      const id = ids[i % ids.length];
      const xp = 1 + (i % 13);
      const coins = i % 5;
      const sum = expected.get(id)!;
      sum.xp += xp;
      sum.coins += coins;
      return award(id, `test:bulk:${i}`, { xp, coins, reason: 'game_guess', source: 'telegram' });
    });
    const results = await Promise.all(calls);
    expect(results.every((r) => !r.duplicate)).toBe(true);

    const [{ n }] = await dataSource.query(
      `SELECT count(*)::int AS n FROM ledger_entries WHERE account_id = ANY($1::bigint[])`,
      [ids],
    );
    expect(n).toBe(2000);
    expect(await ledgerDrift(dataSource)).toEqual([]);
    for (const id of ids) {
      const account = await accounts.get(id);
      expect({ xp: account!.xp, coins: account!.coins }).toEqual(expected.get(id));
    }
    // Each account crossed into rank 2 (1000 XP) at most once, and its rank matches its XP.
    for (const id of ids) {
      const account = (await accounts.get(id))!;
      const changes = await events(id, 'rank.changed');
      expect(changes.length).toBe(account.rankId - 1);
    }
  });

  it('writes exactly one rank.changed per crossing, up and down', async () => {
    const id = await accounts.create();
    await award(id, `t:rank:${id}:1`, { xp: 999 });
    expect(await events(id, 'rank.changed')).toEqual([]);

    const up = await award(id, `t:rank:${id}:2`, { xp: 1 });
    expect(up).toMatchObject({ rankId: 2, previousRankId: 1, xp: 1000 });
    await award(id, `t:rank:${id}:3`, { xp: 500 });
    // Skipping ranks: one event from 2 to 5.
    const jump = await award(id, `t:rank:${id}:4`, { xp: 7700 - 1500 });
    expect(jump).toMatchObject({ rankId: 5, previousRankId: 2 });
    expect(jump.unlocked).toEqual(['rank_5']);

    const down = await ledger.adjust({
      accountId: id,
      xp: -(7700 - 999),
      reason: 'admin_adjustment',
      source: 'admin',
      idempotencyKey: `admin:${id}:demote`,
    });
    expect(down).toMatchObject({ rankId: 1, previousRankId: 5, xp: 999 });
    // A repeat of the demotion is a duplicate: no second event.
    const again = await ledger.adjust({
      accountId: id,
      xp: -(7700 - 999),
      reason: 'admin_adjustment',
      source: 'admin',
      idempotencyKey: `admin:${id}:demote`,
    });
    expect(again.duplicate).toBe(true);

    expect(await events(id, 'rank.changed')).toEqual([
      { from: 1, to: 2, xp: 1000 },
      { from: 2, to: 5, xp: 7700 },
      { from: 5, to: 1, xp: 999 },
    ]);
    // Re-promotion does not unlock rank_5 twice.
    const back = await award(id, `t:rank:${id}:5`, { xp: 7000 });
    expect(back.rankId).toBe(5);
    expect(back.unlocked).toEqual([]);
    expect(await events(id, 'achievement.unlocked')).toEqual([{ code: 'rank_5' }]);
    expect((await accounts.get(id))!.rankId).toBe(5);
  });

  it('refuses invalid input with a domain error code and changes nothing', async () => {
    const id = await accounts.create();
    await award(id, `t:refuse:${id}:seed`, { xp: 20, coins: 30 });
    const before = await snapshot();

    const refusals: [string, () => Promise<unknown>][] = [
      ['INVALID_AMOUNT', () => award(id, 'r:1', { xp: -5 })],
      ['INVALID_AMOUNT', () => award(id, 'r:2', { xp: 0, coins: -1 })],
      ['INVALID_AMOUNT', () => award(id, 'r:3', { xp: 0, coins: 0 })],
      ['INVALID_AMOUNT', () => award(id, 'r:4', { xp: 1.5 })],
      ['INVALID_AMOUNT', () => award(id, 'r:5', { xp: Number.NaN })],
      ['ACCOUNT_NOT_FOUND', () => award('999999999', 'r:6')],
      ['ACCOUNT_NOT_FOUND', () => award('not-a-number', 'r:7')],
      ['AMOUNT_TOO_LARGE', () => award(id, 'r:8', { xp: 100_001 })],
      ['AMOUNT_TOO_LARGE', () => award(id, 'r:9', { xp: 0, coins: 2 ** 60 })],
      [
        'INSUFFICIENT_COINS',
        () =>
          ledger.spend({
            accountId: id,
            coins: 31,
            reason: 'coins_spent',
            source: 'telegram',
            idempotencyKey: 'r:10',
          }),
      ],
      [
        'INSUFFICIENT_COINS',
        () =>
          ledger.adjust({
            accountId: id,
            coins: -31,
            reason: 'admin_adjustment',
            source: 'admin',
            idempotencyKey: 'r:11',
          }),
      ],
      [
        'XP_BELOW_ZERO',
        () =>
          ledger.adjust({
            accountId: id,
            xp: -21,
            reason: 'admin_adjustment',
            source: 'admin',
            idempotencyKey: 'r:12',
          }),
      ],
      ['INVALID_IDEMPOTENCY_KEY', () => award(id, '')],
      ['INVALID_IDEMPOTENCY_KEY', () => award(id, 'k'.repeat(201))],
    ];
    for (const [code, attempt] of refusals) {
      const error = await attempt().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(EconomyError);
      expect((error as EconomyError).code).toBe(code);
    }
    expect(await snapshot()).toBe(before);
    // A refused key was never consumed: the same key may be used for a valid spend.
    const spent = await ledger.spend({
      accountId: id,
      coins: 30,
      reason: 'coins_spent',
      source: 'telegram',
      idempotencyKey: 'r:10',
    });
    expect(spent).toMatchObject({ duplicate: false, coins: 0 });
  });

  it('a refusal inside a caller transaction leaves nothing behind', async () => {
    const id = await accounts.create();
    const before = await snapshot();
    await inTransaction(dataSource, undefined, async (tx) => {
      const error = await ledger
        .spend(
          {
            accountId: id,
            coins: 1,
            reason: 'coins_spent',
            source: 'admin',
            idempotencyKey: 'x:1',
          },
          tx,
        )
        .catch((e: unknown) => e);
      expect((error as EconomyError).code).toBe('INSUFFICIENT_COINS');
    });
    expect(await snapshot()).toBe(before);
  });

  it('a replayed spend is a duplicate even when the balance could no longer pay for it', async () => {
    const id = await accounts.create();
    await award(id, `fund:${id}`, { xp: 0, coins: 60 });
    const spend = {
      accountId: id,
      coins: 50,
      reason: 'coins_spent' as const,
      source: 'admin' as const,
      idempotencyKey: `spend:${id}`,
    };
    const first = await ledger.spend(spend);
    const again = await ledger.spend(spend); // 10 coins left: a fresh spend would be refused
    expect(first).toMatchObject({ duplicate: false, coins: 10 });
    expect(again).toMatchObject({ duplicate: true, entryId: first.entryId, coins: 10 });
    const other = await ledger.spend({ ...spend, idempotencyKey: `spend2:${id}` }).catch((e) => e);
    expect((other as EconomyError).code).toBe('INSUFFICIENT_COINS');
    expect(await ledgerDrift(dataSource)).toEqual([]);
  });

  it('unlocks first_win on a won game and messages_100 on the 100th message, once', async () => {
    const id = await accounts.create();
    const win = await award(id, `game:t1:${id}`, { reason: 'game_guess', source: 'telegram' });
    expect(win.unlocked).toEqual(['first_win']);
    const win2 = await award(id, `game:t2:${id}`, { reason: 'game_quiz', source: 'telegram' });
    expect(win2.unlocked).toEqual([]);

    const unlockedAt: number[] = [];
    for (let i = 1; i <= 101; i++) {
      const result = await award(id, `discord:msg:${id}:${i}`, { xp: 1 });
      if (result.unlocked.includes('messages_100')) unlockedAt.push(i);
    }
    expect(unlockedAt).toEqual([100]);
    for (let i = 1; i <= 60; i++) {
      await award(id, `voice:${id}:${i}`, { xp: 1, reason: 'discord_voice' });
    }
    expect(await events(id, 'achievement.unlocked')).toEqual([
      { code: 'first_win' },
      { code: 'messages_100' },
      { code: 'voice_60' },
    ]);
  });

  it('keeps the rule that shaped an amount as the entry metadata, and none when no rule did', async () => {
    const id = await accounts.create();
    const rule = { multiplier: 1.5, base: 10, rules: ['channel:123'] };
    const shaped = await award(id, `discord:msg:${id}:meta`, { xp: 15, metadata: rule });
    const plain = await award(id, `discord:msg:${id}:plain`);
    const rows: { id: string; metadata: unknown }[] = await dataSource.query(
      `SELECT id, metadata FROM ledger_entries WHERE id = ANY($1::bigint[]) ORDER BY id`,
      [[shaped.entryId, plain.entryId]],
    );
    expect(rows.map((row) => row.metadata)).toEqual([rule, null]);
  });

  it('credits the survivor when the account was merged', async () => {
    const survivor = await newAccount(dataSource);
    const absorbed = await newAccount(dataSource);
    await dataSource.query(`UPDATE accounts SET merged_into = $1 WHERE id = $2`, [
      survivor,
      absorbed,
    ]);
    const result = await award(absorbed, `t:merged:${absorbed}`, { xp: 42 });
    expect(result.accountId).toBe(survivor);
    expect(await accounts.get(survivor)).toMatchObject({ xp: 42 });
    expect(await accounts.get(absorbed)).toMatchObject({ xp: 0, mergedInto: survivor });
    expect(await accounts.resolveSurvivor(absorbed)).toBe(survivor);
    expect(await ledgerDrift(dataSource)).toEqual([]);
  });
});
