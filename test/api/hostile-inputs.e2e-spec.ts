import { ManualClock } from '@ttfd/clock';
import { startTestApp, TEST_ADMIN_TOKEN, TestApp } from '../support/test-app';
import { adminGql, http } from './api-client';
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
      env: { APP_ROLES: 'api' },
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
          `mutation A($id: ID!, $delta: Int!) { adjustAccount(accountId: $id,
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
});
