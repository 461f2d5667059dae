import { Client } from 'pg';
import {
  DEFAULT_STAGE1_SCHEMA,
  ImportError,
  ImportRevert,
  ImportService,
  mee6Pages,
  mee6Player,
  Mee6Player,
  parseCsv,
  planFromFile,
  readStage1,
  snowflake,
  TEST_GUILD_ID,
} from '@ttfd/imports';
import { ledgerDrift, rankForXp } from '@ttfd/economy';
import { createEmptyTestDatabase, TestDatabase } from '../support/test-database';
import { settled, startSyncWorld, SyncWorld } from '../sync/sync-harness';

const NOTIFYING = ['rank.changed', 'achievement.unlocked', 'account.linked'];

describe('imports (bulk path, real Postgres)', () => {
  let world: SyncWorld;
  let imports: ImportService;

  beforeAll(async () => {
    world = await startSyncWorld({ env: { DISCORD_GUILD_ID: TEST_GUILD_ID }, mapRoles: false });
    imports = world.app.app.get(ImportService);
  });
  afterAll(() => world?.app.close());

  async function counts(): Promise<{
    accounts: number;
    entries: number;
    events: number;
    runs: number;
  }> {
    const [row] = await world.db.query(
      `SELECT (SELECT count(*) FROM accounts)::int AS accounts,
              (SELECT count(*) FROM ledger_entries)::int AS entries,
              (SELECT count(*) FROM sync_events)::int AS events,
              (SELECT count(*) FROM import_runs)::int AS runs`,
    );
    return row;
  }

  async function rankDrift(): Promise<number> {
    const [{ n }] = await world.db.query(
      `SELECT count(*)::int AS n FROM accounts a
        WHERE a.rank_id <> (SELECT max(id) FROM ranks WHERE min_xp <= a.xp)`,
    );
    return n;
  }

  async function notifyingEvents(): Promise<number> {
    const [{ n }] = await world.db.query(
      `SELECT count(*)::int AS n FROM sync_events WHERE type = ANY($1)`,
      [NOTIFYING],
    );
    return n;
  }

  describe('MEE6: 10,000 players over ten pages', () => {
    const players: Mee6Player[] = [];
    let pagesJson: string;
    const linked: { id: string; accountId: string }[] = [];

    beforeAll(async () => {
      for (let i = 0; i < 10_000; i++) players.push(mee6Player(snowflake(i), (i * 7919) % 700_000));
      // 150 players appear again on a later page (the board moved between two fetches).
      const repeated = players.slice(0, 150).map((p) => ({ ...p }));
      const pages = mee6Pages([...players, ...repeated], 1_000);
      pagesJson = JSON.stringify(pages);
      // 300 players already linked Telegram and Discord and earned XP with us.
      for (let i = 0; i < 300; i++) {
        const id = players[i * 30].id;
        const [{ id: accountId }] = await world.db.query(
          `INSERT INTO accounts DEFAULT VALUES RETURNING id`,
        );
        await world.db.query(
          `INSERT INTO identities (account_id, platform, external_id)
           VALUES ($1, 'telegram', $2), ($1, 'discord', $3)`,
          [accountId, String(900_000 + i), id],
        );
        await world.ledger.award({
          accountId: String(accountId),
          xp: 500,
          coins: 20,
          reason: 'daily_reward',
          source: 'telegram',
          idempotencyKey: `fixture:${accountId}`,
        });
        linked.push({ id, accountId: String(accountId) });
      }
      await settled(world);
    });

    it('refuses a file whose id is a JSON number, naming the page, index and field; nothing written', async () => {
      const before = await counts();
      const broken = mee6Pages([mee6Player(snowflake(1), 10), mee6Player(snowflake(2), 20)], 1);
      (broken[1].players as Record<string, unknown>[])[0].id = Number(snowflake(2));
      expect(() =>
        planFromFile('mee6', JSON.stringify(broken), { guildId: TEST_GUILD_ID }),
      ).toThrow(/page \[1\] players\[0\], field id: must be a string/);
      expect(await counts()).toEqual(before);
    });

    it('refuses a file of another guild', () => {
      const other = mee6Pages([mee6Player(snowflake(1), 10)], 1, {
        guild: { id: '700000000000000999' },
      });
      expect(() => planFromFile('mee6', JSON.stringify(other), { guildId: TEST_GUILD_ID })).toThrow(
        ImportError,
      );
    });

    it('dry run: the report of a real run, nothing written', async () => {
      const before = await counts();
      const plan = planFromFile('mee6', pagesJson, { guildId: TEST_GUILD_ID });
      const { runId, report } = await imports.execute(plan, { dryRun: true, origin: 'cli' });
      expect(runId).toBeNull();
      expect(report.players).toBe(10_000);
      expect(report.matched).toBe(300);
      expect(report.created).toBe(9_700);
      expect(report.notes.byKind.duplicate_dropped).toBe(150);
      expect(report.xp.planned).toBe(players.reduce((sum, p) => sum + p.xp * 10, 0));
      expect(Object.values(report.rankDistribution).reduce((a, b) => a + b, 0)).toBe(10_000);
      expect(await counts()).toEqual(before);
    });

    it('imports exactly, in no season, with no notification; a second run changes nothing', async () => {
      // The open season (the scheduler opens one), whatever the imported rows' dates.
      const open: { id: number }[] = await world.db.query(
        `SELECT id FROM seasons WHERE status = 'open'`,
      );
      const seasonId =
        open[0]?.id ??
        (
          await world.db.query(
            `INSERT INTO seasons (name, starts_at, ends_at) VALUES ('S', now() - interval '400 days', now() + interval '1 day') RETURNING id`,
          )
        )[0].id;
      const plan = planFromFile('mee6', pagesJson, { guildId: TEST_GUILD_ID });
      const progress: number[] = [];
      const { runId, report } = await imports.execute(plan, {
        dryRun: false,
        origin: 'cli',
        onProgress: (done) => progress.push(done),
      });
      expect(runId).not.toBeNull();
      expect(progress[progress.length - 1]).toBe(10_000);
      expect(report.created).toBe(9_700);
      expect(report.matched).toBe(300);
      const expectedXp = players.filter((p) => p.xp > 0).reduce((sum, p) => sum + p.xp * 10, 0);
      expect(report.xp.written).toBe(expectedXp);

      // Each player's total is MEE6 XP x 10 (plus what linked players had), ranks follow.
      const rows: { external_id: string; xp: string; rank_id: number }[] = await world.db.query(
        `SELECT i.external_id, a.xp, a.rank_id FROM identities i JOIN accounts a ON a.id = i.account_id
          WHERE i.platform = 'discord'`,
      );
      const byId = new Map(rows.map((r) => [r.external_id, r]));
      const linkedIds = new Set(linked.map((l) => l.id));
      for (const p of players) {
        const row = byId.get(p.id)!;
        const expected = p.xp * 10 + (linkedIds.has(p.id) ? 500 : 0);
        expect(Number(row.xp)).toBe(expected);
        expect(row.rank_id).toBe(rankForXp(expected).id);
        if (!linkedIds.has(p.id)) expect(row.rank_id).toBe(Math.min(p.level + 1, 20));
      }
      expect(await ledgerDrift(world.db)).toEqual([]);
      expect(await rankDrift()).toBe(0);
      expect(await notifyingEvents()).toBe(0);
      const [{ n: seasonRows }] = await world.db.query(
        `SELECT count(*)::int AS n FROM ledger_entries WHERE reason = 'import' AND season_id IS NOT NULL`,
      );
      expect(seasonRows).toBe(0);
      // The season holds only what the linked players earned with us (their fixture awards).
      const [{ xp: seasonXp }] = await world.db.query(
        `SELECT coalesce(sum(xp), 0)::bigint AS xp FROM season_scores WHERE season_id = $1`,
        [seasonId],
      );
      expect(Number(seasonXp)).toBe(open[0] ? 300 * 500 : 0);
      // Rank achievements come with the rank, silently.
      const [{ n: legends }] = await world.db.query(
        `SELECT count(*)::int AS n FROM account_achievements WHERE achievement_code = 'rank_20'`,
      );
      expect(legends).toBeGreaterThan(0);

      const before = await counts();
      const again = await imports.execute(
        planFromFile('mee6', pagesJson, { guildId: TEST_GUILD_ID }),
        {
          dryRun: false,
          origin: 'cli',
        },
      );
      expect(again.report.unchanged).toBe(true);
      expect(again.report.summary).toMatch(/^Nothing changed/);
      expect(again.report.entries.written).toBe(0);
      const after = await counts();
      expect({ ...after, runs: 0 }).toEqual({ ...before, runs: 0 });

      // Revert: compensating rows, totals back to what the linked players had.
      const revert = await world.app.app.get(ImportRevert).revert(runId!);
      expect(revert.xpRemoved).toBe(expectedXp);
      const [{ total }] = await world.db.query(
        `SELECT coalesce(sum(a.xp), 0)::bigint AS total FROM accounts a
           JOIN identities i ON i.account_id = a.id AND i.platform = 'discord'`,
      );
      expect(Number(total)).toBe(300 * 500);
      const [{ n: compensations }] = await world.db.query(
        `SELECT count(*)::int AS n FROM ledger_entries WHERE idempotency_key LIKE 'import-revert:import:mee6:%'`,
      );
      expect(compensations).toBe(report.entries.written);
      expect(await ledgerDrift(world.db)).toEqual([]);
      expect(await rankDrift()).toBe(0);
      expect(await notifyingEvents()).toBe(0);
      const secondRevert = await world.app.app.get(ImportRevert).revert(runId!);
      expect(secondRevert.entriesReverted).toBe(0);
    });
  });

  describe('CSV', () => {
    const header = 'platform,external_id,display_name,xp,coins';
    const variants: [string, string, RegExp][] = [
      [
        'bad number',
        `${header}\ntelegram,1001,Ann,12a,0\n`,
        /line 2, field xp: "12a" is not a whole number/,
      ],
      [
        'missing column',
        'platform,external_id,xp,coins\ntelegram,1001,12,0\n',
        /line 1, field display_name: missing column/,
      ],
      [
        'unknown platform',
        `${header}\ntelegram,1001,Ann,1,1\nvk,1002,Bob,1,1\n`,
        /line 3, field platform: "vk"/,
      ],
      [
        'negative',
        `${header}\ndiscord,${snowflake(77)},Ann,-5,0\n`,
        /line 2, field xp: -5 is negative/,
      ],
      [
        'duplicate row',
        `${header}\ntelegram,1001,Ann,1,1\ntelegram,1001,Ann,1,1\n`,
        /line 3, field external_id: telegram:1001 is already on line 2/,
      ],
      ['short line', `${header}\ntelegram,1001,Ann,1\n`, /line 2, field columns/],
    ];
    it.each(variants)('refuses a file with a %s, nothing written', async (_name, text, message) => {
      const before = await counts();
      expect(() => parseCsv(text)).toThrow(message);
      expect(await counts()).toEqual(before);
    });

    it('imports a valid file (quoted names, CRLF), idempotently', async () => {
      const text = `${header}\r\ntelegram,5550001,"Doe, ""J""",1500,40\r\ndiscord,${snowflake(900_001)},Zed,0,7\r\n`;
      const first = await imports.execute(parseCsv(text), { dryRun: false, origin: 'cli' });
      expect(first.report.entries.written).toBe(2);
      const [row] = await world.db.query(
        `SELECT a.xp, a.coins, a.rank_id, i.display_name FROM identities i JOIN accounts a ON a.id = i.account_id
          WHERE i.platform = 'telegram' AND i.external_id = '5550001'`,
      );
      expect(row).toMatchObject({ xp: '1500', coins: '40', rank_id: 2, display_name: 'Doe, "J"' });
      const [{ key }] = await world.db.query(
        `SELECT idempotency_key AS key FROM ledger_entries l JOIN identities i ON i.account_id = l.account_id
          WHERE i.external_id = '5550001' AND l.reason = 'import'`,
      );
      expect(key).toBe('import:csv:telegram:5550001');
      const second = await imports.execute(parseCsv(text), { dryRun: false, origin: 'cli' });
      expect(second.report.unchanged).toBe(true);
      expect(await notifyingEvents()).toBe(0);
    });
  });

  describe('stage-1 database', () => {
    let stage1: TestDatabase;

    beforeAll(async () => {
      stage1 = await createEmptyTestDatabase();
      const client = new Client({ connectionString: stage1.url });
      await client.connect();
      await client.query(`
        CREATE TABLE users (id serial PRIMARY KEY, telegram_id bigint NOT NULL, username text,
                            xp integer NOT NULL, balance integer NOT NULL);
        CREATE TABLE transactions (id serial PRIMARY KEY, user_id integer REFERENCES users (id),
                                   type text NOT NULL, amount integer NOT NULL, reason text,
                                   created_at timestamp NOT NULL DEFAULT now());
        CREATE TABLE user_achievements (user_id integer, achievement text);
        -- 1: history adds up; 2: XP history short by 250; 3: negative balance in stage 1;
        -- 4: no transactions at all.
        INSERT INTO users (telegram_id, username, xp, balance) VALUES
          (7000001, 'ann', 1150, 50), (7000002, 'bob', 3000, 10), (7000003, 'cy', 100, -30),
          (7000004, 'dee', 42, 0);
        INSERT INTO transactions (user_id, type, amount, reason, created_at) VALUES
          (1, 'xp', 100, 'daily_reward', now() - interval '300 days'),
          (1, 'balance', 50, 'daily_reward', now() - interval '300 days'),
          (1, 'xp', 1050, 'game_quiz', now() - interval '2 days'),
          (2, 'xp', 2750, 'game_guess', now() - interval '30 days'),
          (2, 'balance', 25, 'daily_spin', now() - interval '30 days'),
          (2, 'balance', -15, 'shop', now() - interval '29 days'),
          (3, 'xp', 100, 'daily_reward', now() - interval '5 days'),
          (3, 'balance', 0, 'noop', now() - interval '5 days');
        INSERT INTO user_achievements VALUES (1, 'first_win'), (2, 'week_streak'), (2, 'mystery');
      `);
      await client.end();
    });
    afterAll(() => stage1?.drop());

    it('one row per transaction, one balancing row per player: totals equal stage 1 exactly', async () => {
      const plan = await readStage1(stage1.url);
      const { report } = await imports.execute(plan, { dryRun: false, origin: 'cli' });
      expect(report.players).toBe(4);
      const totals: { external_id: string; xp: string; coins: string; rank_id: number }[] =
        await world.db.query(
          `SELECT i.external_id, a.xp, a.coins, a.rank_id FROM identities i JOIN accounts a ON a.id = i.account_id
            WHERE i.platform = 'telegram' AND i.external_id LIKE '700000_' ORDER BY i.external_id`,
        );
      expect(totals.map((t) => [t.external_id, Number(t.xp), Number(t.coins), t.rank_id])).toEqual([
        ['7000001', 1150, 50, 2],
        ['7000002', 3000, 10, 3],
        ['7000003', 100, 0, 1],
        ['7000004', 42, 0, 1],
      ]);
      const keys: { key: string }[] = await world.db.query(
        `SELECT idempotency_key AS key FROM ledger_entries WHERE idempotency_key LIKE 'legacy:stage1:%' ORDER BY id`,
      );
      // 7 transactions with an amount (the 0 is skipped); balancing rows for bob and dee (cy's
      // negative balance becomes 0, which her transactions already sum to).
      expect(keys.filter((k) => /^legacy:stage1:[0-9]+$/.test(k.key))).toHaveLength(7);
      // The old reason travels with the row, for an admin reading the history.
      const [{ metadata }] = await world.db.query(
        `SELECT metadata FROM ledger_entries WHERE idempotency_key = 'legacy:stage1:3'`,
      );
      expect(metadata.stage1.reason).toBe('game_quiz');
      expect(
        keys
          .filter((k) => k.key.startsWith('legacy:stage1:balance:'))
          .map((k) => k.key)
          .sort(),
      ).toEqual(['legacy:stage1:balance:2', 'legacy:stage1:balance:4']);
      const mismatch = report.notes.first.filter((n) => n.kind === 'history_mismatch');
      expect(mismatch.map((n) => [n.subject, n.xp, n.coins])).toEqual([
        ['telegram:7000002', 250, 0],
        ['telegram:7000003', 0, -30],
        ['telegram:7000004', 42, 0],
      ]);
      expect(report.notes.byKind.negative_total_zeroed).toBe(1);
      expect(report.notes.byKind.achievement_unmapped).toBe(1);
      const achievements: { external_id: string; code: string }[] = await world.db.query(
        `SELECT i.external_id, aa.achievement_code AS code FROM account_achievements aa
           JOIN identities i ON i.account_id = aa.account_id WHERE i.external_id LIKE '700000_' ORDER BY 1, 2`,
      );
      expect(achievements).toEqual([
        { external_id: '7000001', code: 'first_win' },
        { external_id: '7000002', code: 'daily_streak_7' },
      ]);
      expect(await ledgerDrift(world.db)).toEqual([]);
      expect(await notifyingEvents()).toBe(0);

      const again = await imports.execute(await readStage1(stage1.url), {
        dryRun: false,
        origin: 'cli',
      });
      expect(again.report.unchanged).toBe(true);
    });

    it('names the column when a stage-1 column name is wrong, nothing written', async () => {
      const before = await counts();
      await expect(
        readStage1(stage1.url, {
          ...DEFAULT_STAGE1_SCHEMA,
          txAmount: 'sum',
        }),
      ).rejects.toThrow(/column "sum" does not exist/);
      expect(await counts()).toEqual(before);
    });
  });
});
