import { DataSource } from 'typeorm';
import { RoleGatewayRegistry } from '@ttfd/sync';
import { InMemoryRoleGateway } from '@ttfd/sync/testing';
import { startTestApp, TEST_ADMIN_TOKEN, TestApp, waitFor } from '../support/test-app';
import { http } from './api-client';
import { newPlayer } from './fixtures';

const ROLE_A = '100000000000000001';
const ROLE_B = '100000000000000002';
const ROLE_C = '100000000000000003';
const MEMBER = '300000000000000001';

describe('REST admin', () => {
  let t: TestApp;
  let gateway: InMemoryRoleGateway;
  let player: string;

  beforeAll(async () => {
    t = await startTestApp(); // api, worker and scheduler: the re-sync runs for real
    gateway = new InMemoryRoleGateway();
    t.app.get(RoleGatewayRegistry).register(gateway);
    player = await newPlayer(t, 'discord', MEMBER, { xp: 1500, coins: 100 });
    gateway.setMember(MEMBER, ['999999999999999999']);
  });
  afterAll(async () => {
    await t?.close();
  });

  const admin = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    http(t.url, method, path, { token: TEST_ADMIN_TOKEN, body, headers });

  it('answers 401 to every admin route without the token or with a wrong one, and serves it with the right one', async () => {
    const routes: [string, string, unknown?, Record<string, string>?][] = [
      ['GET', '/admin/rank-roles'],
      ['PUT', '/admin/rank-roles/20', { discordRoleId: null }],
      ['PUT', '/admin/rank-roles', { mappings: [{ rankId: 19, discordRoleId: null }] }],
      ['GET', '/admin/achievement-roles'],
      ['PUT', '/admin/achievement-roles/season_top_3', { discordRoleId: null }],
      ['PUT', '/admin/achievement-roles', { mappings: [{ code: 'linked', discordRoleId: null }] }],
      ['GET', '/admin/sync/events?status=pending'],
      ['POST', '/admin/sync/events/1/retry'],
      ['POST', '/admin/sync/events/retry-failed'],
      ['POST', `/admin/accounts/${player}/resync`],
      ['POST', '/admin/reconcile'],
      ['GET', '/admin/reconcile/reports'],
      [
        'POST',
        `/admin/accounts/${player}/adjustments`,
        { currency: 'xp', delta: 1, reason: 'auth matrix' },
        { 'idempotency-key': 'matrix-1' },
      ],
      ['GET', `/admin/accounts/${player}`],
      ['GET', `/admin/accounts?platform=discord&externalId=${MEMBER}`],
      ['GET', '/admin/queues'],
    ];
    for (const [method, path, body, headers] of routes) {
      const none = await http(t.url, method, path, { body, headers });
      expect([path, none.status]).toEqual([path, 401]);
      const wrong = await http(t.url, method, path, {
        body,
        headers,
        token: `${TEST_ADMIN_TOKEN}x`,
      });
      expect([path, wrong.status]).toEqual([path, 401]);
      const right = await admin(method, path, body, headers);
      expect([path, right.status < 300]).toEqual([path, true]);
    }
  });

  it('refuses invalid bodies and queries with 400 naming the field', async () => {
    const cases: [string, string, unknown, string][] = [
      ['PUT', '/admin/rank-roles/3', { discordRoleId: '12345' }, 'discordRoleId'],
      ['PUT', '/admin/rank-roles/3', { discordRoleId: ROLE_A, color: 'red' }, 'color'],
      ['PUT', '/admin/rank-roles/21', { discordRoleId: ROLE_A }, 'rankId'],
      [
        'PUT',
        '/admin/rank-roles',
        { mappings: [{ rankId: 2, discordRoleId: 'x' }] },
        'discordRoleId',
      ],
      ['PUT', '/admin/achievement-roles/first_win', {}, 'discordRoleId'],
      [
        'POST',
        `/admin/accounts/${player}/adjustments`,
        { currency: 'gold', delta: 5, reason: 'r' },
        'currency',
      ],
      [
        'POST',
        `/admin/accounts/${player}/adjustments`,
        { currency: 'xp', delta: 1.5, reason: 'r' },
        'delta',
      ],
      ['GET', '/admin/sync/events?status=lost', undefined, 'status'],
      ['GET', '/admin/sync/events?colour=1', undefined, 'colour'],
    ];
    for (const [method, path, body, field] of cases) {
      const res = await admin(method, path, body, { 'idempotency-key': 'bad-body' });
      expect([path, res.status]).toEqual([path, 400]);
      expect(JSON.stringify(res.body)).toContain(field);
    }
    const unknownRank = await admin('GET', '/admin/accounts/99999999');
    expect(unknownRank.status).toBe(404);
    expect((unknownRank.body as { code: string }).code).toBe('ACCOUNT_NOT_FOUND');
    const noKey = await admin('POST', `/admin/accounts/${player}/adjustments`, {
      currency: 'xp',
      delta: 1,
      reason: 'r',
    });
    expect(noKey.status).toBe(400);
    expect(JSON.stringify(noKey.body)).toContain('Idempotency-Key');
  });

  it('answers every REST error in one shape: statusCode, code, message; one message per field', async () => {
    const malformed = await fetch(`${t.url}/admin/accounts/${player}/adjustments`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${TEST_ADMIN_TOKEN}`,
        'content-type': 'application/json',
        'idempotency-key': 'malformed-1',
      },
      body: '{"currency": "xp", "delta": 5,',
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({
      statusCode: 400,
      code: 'MALFORMED_JSON',
      message: 'The request body is not valid JSON',
    });

    const missingReason = await admin(
      'POST',
      `/admin/accounts/${player}/adjustments`,
      { currency: 'xp', delta: 5 },
      { 'idempotency-key': 'missing-reason-1' },
    );
    expect(missingReason.status).toBe(400);
    expect(missingReason.body).toEqual({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: ['reason is required'],
      fields: ['reason'],
    });
    const twoBad = await admin(
      'POST',
      `/admin/accounts/${player}/adjustments`,
      { currency: 'gold', delta: 1.5, reason: 'x' },
      { 'idempotency-key': 'two-bad-1' },
    );
    expect(twoBad.body).toMatchObject({
      message: [
        'currency must be one of the following values: xp, coins',
        'delta must be an integer number',
      ],
      fields: ['currency', 'delta'],
    });

    const unknownRoute = await admin('GET', '/admin/nothing-here');
    expect(unknownRoute.status).toBe(404);
    expect(unknownRoute.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    const unauthenticated = await http(t.url, 'GET', '/admin/queues');
    expect(unauthenticated.body).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED' });
  });

  it('finds an account by its Telegram or Discord user id', async () => {
    const telegramPlayer = await newPlayer(t, 'telegram', '777000111', { xp: 40 });
    const byDiscord = await admin('GET', `/admin/accounts?platform=discord&externalId=${MEMBER}`);
    expect(byDiscord.status).toBe(200);
    expect(byDiscord.body).toMatchObject({
      id: player,
      identities: [{ platform: 'discord', externalId: MEMBER, username: `user${MEMBER}` }],
      ledger: { entries: expect.any(Array) },
      roles: expect.objectContaining({ wanted: expect.any(Array) }),
    });
    const byTelegram = await admin('GET', '/admin/accounts?platform=telegram&externalId=777000111');
    expect(byTelegram.body).toMatchObject({ id: telegramPlayer, xp: 40 });

    const unknown = await admin('GET', '/admin/accounts?platform=telegram&externalId=123');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'IDENTITY_UNKNOWN' });
    for (const [query, field] of [
      ['platform=icq&externalId=123', 'platform'],
      ['platform=discord&externalId=abc', 'externalId'],
      ['platform=discord', 'externalId'],
    ]) {
      const bad = await admin('GET', `/admin/accounts?${query}`);
      expect([query, bad.status]).toEqual([query, 400]);
      expect(bad.body).toMatchObject({ code: 'VALIDATION_FAILED', fields: [field] });
    }
  });

  it('applies an adjustment sent twice with one Idempotency-Key once', async () => {
    const body = { currency: 'coins', delta: -30, reason: 'refund mistake' };
    const headers = { 'idempotency-key': 'adj-once-1' };
    const first = await admin('POST', `/admin/accounts/${player}/adjustments`, body, headers);
    const again = await admin('POST', `/admin/accounts/${player}/adjustments`, body, headers);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ duplicate: false, coins: 70 });
    expect(again.body).toMatchObject({ duplicate: true, coins: 70 });
    const [{ n }]: { n: string }[] = await t.app
      .get(DataSource)
      .query(`SELECT count(*) AS n FROM ledger_entries WHERE idempotency_key = 'admin:adj-once-1'`);
    expect(Number(n)).toBe(1);
    const account = await admin('GET', `/admin/accounts/${player}?first=5`);
    expect(account.body).toMatchObject({
      id: player,
      coins: 70,
      ledger: {
        entries: expect.arrayContaining([
          expect.objectContaining({ coinsDelta: -30, source: 'admin', reason: 'admin_adjustment' }),
        ]),
      },
    });
    const insufficient = await admin(
      'POST',
      `/admin/accounts/${player}/adjustments`,
      { currency: 'coins', delta: -1000, reason: 'r' },
      { 'idempotency-key': 'too-much' },
    );
    expect([409, 422]).toContain(insufficient.status);
  });

  it('re-syncs the members of a rank when its role changes, removing the retired role', async () => {
    const set = await admin('PUT', '/admin/rank-roles/2', { discordRoleId: ROLE_A });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ resynced: 1 });
    await waitFor(() => gateway.rolesOf(MEMBER)?.includes(ROLE_A), { what: 'the rank role added' });

    const changed = await admin('PUT', '/admin/rank-roles', {
      mappings: [{ rankId: 2, discordRoleId: ROLE_B }],
    });
    expect(changed.body).toMatchObject({ resynced: 1 });
    await waitFor(
      () =>
        JSON.stringify(gateway.rolesOf(MEMBER)) ===
        JSON.stringify(['999999999999999999', ROLE_B].sort()),
      { what: 'the retired role removed and the new one added' },
    );
    const account = await admin('GET', `/admin/accounts/${player}`);
    expect((account.body as { roles: unknown }).roles).toEqual({
      wanted: [ROLE_B],
      applied: [ROLE_B],
      missing: [],
      extra: [],
    });

    const taken = await admin('PUT', '/admin/achievement-roles/first_win', {
      discordRoleId: ROLE_B,
    });
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({
      code: 'ROLE_ALREADY_MAPPED',
      details: { discordRoleId: ROLE_B },
    });
    // The rules' refusals (RoleMappingError, @ttfd/sync) keep their codes and statuses.
    const repeated = await admin('PUT', '/admin/rank-roles', {
      mappings: [
        { rankId: 3, discordRoleId: ROLE_C },
        { rankId: 3, discordRoleId: null },
      ],
    });
    expect(repeated.status).toBe(400);
    expect(repeated.body).toMatchObject({
      code: 'MAPPING_KEY_REPEATED',
      message: '3 is given twice',
    });
    const unknown = await admin('PUT', '/admin/achievement-roles/no_such_thing', {
      discordRoleId: ROLE_C,
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({
      code: 'UNKNOWN_ACHIEVEMENT',
      message: 'There is no achievement no_such_thing',
    });
    const ok = await admin('PUT', '/admin/achievement-roles/first_win', { discordRoleId: ROLE_C });
    expect(ok.status).toBe(200);
    const list = await admin('GET', '/admin/achievement-roles');
    expect(list.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: 'first_win', discordRoleId: ROLE_C }),
      ]),
    );
  });

  it('lists and retries sync events, runs reconcile, shows queues', async () => {
    await t.app
      .get(DataSource)
      .query(
        `UPDATE sync_events SET status = 'failed', last_error = 'boom' WHERE id = (SELECT min(id) FROM sync_events)`,
      );
    const failed = await admin('GET', '/admin/sync/events?status=failed');
    const events = (failed.body as { events: { id: string; lastError: string }[] }).events;
    expect(events).toHaveLength(1);
    expect(events[0].lastError).toBe('boom');
    const retried = await admin('POST', `/admin/sync/events/${events[0].id}/retry`);
    expect(retried.body).toEqual({ retried: true });
    const byAccount = await admin('GET', `/admin/sync/events?accountId=${player}&first=2`);
    expect(
      (byAccount.body as { events: { accountId: string }[] }).events.every(
        (e) => e.accountId === player,
      ),
    ).toBe(true);
    const run = await admin('POST', '/admin/reconcile');
    expect(run.status).toBe(202);
    const { jobId } = run.body as { jobId: string };
    const reports = await waitFor(
      async () => {
        const res = await admin('GET', '/admin/reconcile/reports');
        return (res.body as { jobId: string }[]).find((r) => r.jobId === jobId);
      },
      { what: 'the reconcile report' },
    );
    expect(reports.jobId).toBe(jobId);
    const queues = await admin('GET', '/admin/queues');
    expect(Object.keys(queues.body as object).sort()).toEqual(['cleanup', 'reconcile', 'sync']);
    expect((queues.body as Record<string, object>).sync).toEqual({
      waiting: expect.any(Number),
      active: expect.any(Number),
      delayed: expect.any(Number),
      failed: expect.any(Number),
    });
  });
});
