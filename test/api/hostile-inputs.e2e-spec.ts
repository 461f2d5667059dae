import { ManualClock } from '@ttfd/clock';
import { startTestApp, TEST_ADMIN_TOKEN, TestApp } from '../support/test-app';
import { IdentityService } from '@ttfd/linking';
import { adminGql, gql, http, postDeclaredOnly } from './api-client';
import { dataSourceOf, newPlayer } from './fixtures';

/** REST error bodies carry the code somewhere (issue 17 reshapes them): look for it as text. */
const carries = (body: unknown, code: string) => JSON.stringify(body).includes(`"${code}"`);

describe('Hostile inputs to the admin API are refused and change nothing', () => {
  let t: TestApp;
  let player: string;
  let other: string;
  const admin = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    http(t.url, method, path, { token: TEST_ADMIN_TOKEN, body, headers });
  const ledgerRows = async (accountId: string) => {
    const rows: { n: string }[] = await dataSourceOf(t).query(
      `SELECT count(*) AS n FROM ledger_entries WHERE account_id = $1`,
      [accountId],
    );
    return Number(rows[0].n);
  };

  beforeAll(async () => {
    t = await startTestApp({
      clock: new ManualClock('2026-01-15T12:00:00Z'),
      env: { APP_ROLES: 'api', AWARD_MAX_DELTA: '1000000000' },
    });
    player = await newPlayer(t, 'telegram', '9101', { xp: 100, coins: 100 });
    other = await newPlayer(t, 'telegram', '9102', { xp: 100, coins: 100 });
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('Idempotency-Key', () => {
    it('REST: the same key and request answers the first result; another request is 409', async () => {
      const body = { currency: 'coins', delta: 10, reason: 'prize' };
      const key = { 'idempotency-key': 'reuse-rest-1' };
      const first = await admin('POST', `/admin/accounts/${player}/adjustments`, body, key);
      expect(first.status).toBe(200);
      const same = await admin('POST', `/admin/accounts/${player}/adjustments`, body, key);
      expect(same.status).toBe(200);
      expect(same.body).toMatchObject({ duplicate: true, coins: 110 });
      const before = [await ledgerRows(player), await ledgerRows(other)];
      for (const [accountId, changed] of [
        [player, { ...body, delta: 11 }],
        [player, { ...body, currency: 'xp' }],
        [player, { ...body, reason: 'another prize' }],
        [other, body],
      ] as const) {
        const reused = await admin(
          'POST',
          `/admin/accounts/${accountId}/adjustments`,
          changed,
          key,
        );
        expect([changed, reused.status]).toEqual([changed, 409]);
        expect(carries(reused.body, 'IDEMPOTENCY_KEY_REUSED')).toBe(true);
      }
      expect([await ledgerRows(player), await ledgerRows(other)]).toEqual(before);
    });

    it('GraphQL: the same rule', async () => {
      const adjust = (accountId: string, delta: number) =>
        adminGql<{ adjustAccount: { duplicate: boolean } }>(
          t.url,
          `mutation A($id: ID!, $delta: SafeInt!) { adjustAccount(accountId: $id,
            input: { currency: "xp", delta: $delta, reason: "gql" }, idempotencyKey: "reuse-gql-1") { duplicate } }`,
          { id: accountId, delta },
        );
      expect((await adjust(player, 5)).data!.adjustAccount.duplicate).toBe(false);
      expect((await adjust(player, 5)).data!.adjustAccount.duplicate).toBe(true);
      const reused = await adjust(player, 6);
      expect(reused.errors![0].extensions!.code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect((await adjust(other, 5)).errors![0].extensions!.code).toBe('IDEMPOTENCY_KEY_REUSED');
    });
  });

  describe('XP and coins beyond 32 bits', () => {
    it('serves totals above 2^31 as JSON numbers; an amount above the limit is AMOUNT_TOO_LARGE in words', async () => {
      const rich = await newPlayer(t, 'discord', '300000000000000001');
      for (const key of ['big-1', 'big-2', 'big-3']) {
        const res = await admin(
          'POST',
          `/admin/accounts/${rich}/adjustments`,
          { currency: 'xp', delta: 1_000_000_000, reason: 'season prize' },
          { 'idempotency-key': key },
        );
        expect(res.status).toBe(200);
      }
      const top = await gql<{ leaderboard: { entries: { accountId: string; xp: number }[] } }>(
        t.url,
        `{ leaderboard(first: 3) { entries { accountId xp } } }`,
      );
      expect(top.errors).toBeUndefined();
      expect(top.data!.leaderboard.entries[0]).toEqual({ accountId: rich, xp: 3_000_000_000 });
      const profile = await adminGql<{ account: { xp: number } }>(
        t.url,
        `query ById($id: ID!) { account(id: $id) { xp } }`,
        { id: rich },
      );
      expect(profile.data!.account.xp).toBe(3_000_000_000);

      const gqlTooLarge = await adminGql(
        t.url,
        `mutation Adjust($id: ID!) { adjustAccount(accountId: $id,
          input: { currency: "coins", delta: 3000000000, reason: "typo" }, idempotencyKey: "too-large-1") { coins } }`,
        { id: rich },
      );
      expect(gqlTooLarge.errors![0].extensions!.code).toBe('AMOUNT_TOO_LARGE');
      expect(gqlTooLarge.errors![0].message).toContain('at most 1,000,000,000 coins');
      const restTooLarge = await admin(
        'POST',
        `/admin/accounts/${rich}/adjustments`,
        { currency: 'coins', delta: 3_000_000_000, reason: 'typo' },
        { 'idempotency-key': 'too-large-2' },
      );
      expect(restTooLarge.status).toBe(422);
      expect(carries(restTooLarge.body, 'AMOUNT_TOO_LARGE')).toBe(true);
      expect(JSON.stringify(restTooLarge.body)).toContain('at most 1,000,000,000 coins');
      // Beyond 2^53-1 the scalar itself refuses, naming its range.
      const beyond = await adminGql(
        t.url,
        `mutation Adjust($id: ID!) { adjustAccount(accountId: $id,
          input: { currency: "xp", delta: 90071992547409930, reason: "x" }, idempotencyKey: "too-large-3") { xp } }`,
        { id: rich },
      );
      expect(beyond.errors![0].message).toContain('9007199254740991');
    });

    it('the ledger refuses a total beyond 2^53-1', async () => {
      const edge = await newPlayer(t, 'discord', '300000000000000002');
      await dataSourceOf(t).query(`UPDATE accounts SET xp = $2 WHERE id = $1`, [
        edge,
        String(Number.MAX_SAFE_INTEGER - 10),
      ]);
      const res = await admin(
        'POST',
        `/admin/accounts/${edge}/adjustments`,
        { currency: 'xp', delta: 11, reason: 'overflow' },
        { 'idempotency-key': 'overflow-1' },
      );
      expect(res.status).toBe(422);
      expect(carries(res.body, 'AMOUNT_TOO_LARGE')).toBe(true);
      expect(await ledgerRows(edge)).toBe(0);
    });
  });

  describe('text and cursors', () => {
    it('refuses NUL and C0 controls in API text with 400 INVALID_TEXT, changing nothing', async () => {
      const before = await ledgerRows(player);
      for (const reason of ['a\u0000b', 'bell\u0007', 'esc\u001b[31m']) {
        const rest = await admin(
          'POST',
          `/admin/accounts/${player}/adjustments`,
          { currency: 'xp', delta: 1, reason },
          { 'idempotency-key': `text-${reason.length}-${reason.charCodeAt(reason.length - 1)}` },
        );
        expect([reason, rest.status]).toEqual([reason, 400]);
        expect(carries(rest.body, 'INVALID_TEXT')).toBe(true);
        const graphql = await adminGql(
          t.url,
          `mutation Adjust($id: ID!, $reason: String!) { adjustAccount(accountId: $id,
            input: { currency: "xp", delta: 1, reason: $reason }, idempotencyKey: "text-gql") { xp } }`,
          { id: player, reason },
        );
        expect(graphql.errors![0].extensions!.code).toBe('INVALID_TEXT');
      }
      // Tabs and line breaks are text.
      const fine = await admin(
        'POST',
        `/admin/accounts/${player}/adjustments`,
        { currency: 'xp', delta: 1, reason: 'line one\nline two\tend' },
        { 'idempotency-key': 'text-fine' },
      );
      expect(fine.status).toBe(200);
      expect(await ledgerRows(player)).toBe(before + 1);
    });

    it('stores names from Telegram and Discord with NUL stripped, never refusing them', async () => {
      const { accountId } = await t.app
        .get(IdentityService)
        .resolve('telegram', '9199', { username: 'nul\u0000user', displayName: 'Ann\u0000 B' });
      const rows: { username: string; display_name: string }[] = await dataSourceOf(t).query(
        `SELECT username, display_name FROM identities WHERE account_id = $1`,
        [accountId],
      );
      expect(rows[0]).toEqual({ username: 'nuluser', display_name: 'Ann B' });
    });

    it('refuses forged leaderboard cursors with 400 INVALID_CURSOR', async () => {
      const forged = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
      for (const after of [
        'not-a-cursor',
        forged({ x: 'abc', a: '1', p: 1 }),
        forged({ x: '99999999999999999999', a: '1', p: 1 }),
        forged({ x: '10', a: '1', p: -50 }),
      ]) {
        const res = await http(t.url, 'POST', '/graphql', {
          body: {
            query: `query L($after: String) { leaderboard(after: $after) { entries { place } } }`,
            variables: { after },
          },
        });
        expect([
          after,
          (res.body as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code,
        ]).toEqual([after, 'INVALID_CURSOR']);
      }
    });
  });

  describe('bodies', () => {
    it('refuses a body declared over the cap from the headers, before reading it, and changes nothing', async () => {
      const before = await ledgerRows(player);
      // 5 MB declared, a few bytes sent: only the headers can have been read when the answer comes.
      const answer = await postDeclaredOnly(
        t.url,
        `/admin/accounts/${player}/adjustments`,
        5_000_000,
        '{"currency":"coins","delta":1,"reason":"',
        { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'idempotency-key': 'declared-huge' },
      );
      expect(answer).toMatchObject({ status: 413, body: { code: 'BODY_TOO_LARGE' } });
      expect(await ledgerRows(player)).toBe(before);
    });
  });
});
