import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { ManualClock } from '@ttfd/clock';
import { SeasonsService } from '@ttfd/economy';
import { AlertEvaluator } from '@ttfd/observability';
import { startTestApp, TEST_ADMIN_TOKEN, TestApp, waitFor } from '../support/test-app';
import { adminGql, gql, http, metricSum, parseMetrics } from './api-client';
import { newPlayer, TEST_BOT_TOKEN, widgetData } from './fixtures';

/** A stand-in for the Telegram Bot API: records sendMessage calls. */
async function fakeBotApi(): Promise<{
  server: Server;
  url: string;
  messages: { chat_id: string; text: string }[];
}> {
  const messages: { chat_id: string; text: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (req.url?.endsWith('/sendMessage')) {
        const params = JSON.parse(body || '{}') as { chat_id: string; text: string };
        messages.push({ chat_id: String(params.chat_id), text: params.text });
      }
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          ok: true,
          result: { message_id: messages.length, date: 0, chat: { id: 1, type: 'group' } },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, messages };
}

const PROFILE = `query P($id: ID!) { profile(accountId: $id) { accountId xp coins identities { platform externalId } } }`;

describe('GraphQL player and admin operations, metrics, alerts', () => {
  let t: TestApp;
  let clock: ManualClock;
  let bot: Awaited<ReturnType<typeof fakeBotApi>>;

  beforeAll(async () => {
    bot = await fakeBotApi();
    clock = new ManualClock('2026-01-15T12:00:00Z');
    t = await startTestApp({
      clock,
      env: {
        APP_ROLES: 'api,scheduler',
        TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN,
        TELEGRAM_API_ROOT: bot.url,
        ALERT_TELEGRAM_CHAT_ID: '-100123',
        ALERT_CHECK_INTERVAL_MS: '50',
        ALERT_QUIET_PERIOD_MS: '600000',
        ALERT_FAILED_EVENTS_THRESHOLD: '3',
        ALERT_OLDEST_PENDING_MS: '86400000',
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await new Promise((resolve) => bot.server.close(resolve));
  });

  async function login(telegramId: string): Promise<string> {
    const answer = await gql<{ loginWithTelegram: { token: string; accountId: string } }>(
      t.url,
      `mutation L($input: TelegramLoginInput!) { loginWithTelegram(input: $input) { token accountId expiresAt } }`,
      { input: widgetData(telegramId, clock.nowMs()) },
    );
    expect(answer.errors).toBeUndefined();
    return answer.data!.loginWithTelegram.token;
  }

  it('logs a player in with widget data; refuses forged and stale data', async () => {
    const forged = { ...widgetData('5001', clock.nowMs()), id: '5002' };
    const refused = await gql(
      t.url,
      `mutation L($input: TelegramLoginInput!) { loginWithTelegram(input: $input) { token } }`,
      { input: forged },
    );
    expect(refused.errors![0].extensions!.code).toBe('TELEGRAM_LOGIN_INVALID');
    const stale = widgetData('5001', clock.nowMs() - 2 * 86_400_000);
    const old = await gql(
      t.url,
      `mutation L($input: TelegramLoginInput!) { loginWithTelegram(input: $input) { token } }`,
      { input: stale },
    );
    expect(old.errors![0].extensions!.code).toBe('TELEGRAM_LOGIN_EXPIRED');
    const rest = await http(t.url, 'POST', '/auth/telegram', { body: stale });
    expect(rest.status).toBe(401);
    const restOk = await http(t.url, 'POST', '/auth/telegram', {
      body: widgetData('5001', clock.nowMs()),
    });
    expect(restOk.status).toBe(200);
    expect(restOk.body).toMatchObject({ token: expect.stringMatching(/^v1\./) });
    const badBody = await http(t.url, 'POST', '/auth/telegram', {
      body: { ...widgetData('5001', clock.nowMs()), evil: 1 },
    });
    expect(badBody.status).toBe(400);
    expect(JSON.stringify(badBody.body)).toContain('evil');
  });

  it("me, createLinkCode, redeemLinkCode, unlink; a player sees own coins, not another player's", async () => {
    const token = await login('6001');
    const me = await gql<{
      me: {
        accountId: string;
        coins: number;
        identities: { platform: string; externalId: string }[];
      };
    }>(t.url, `{ me { accountId coins identities { platform externalId } } }`, {}, token);
    expect(me.data!.me).toMatchObject({
      coins: 0,
      identities: [{ platform: 'telegram', externalId: '6001' }],
    });
    const myAccount = me.data!.me.accountId;

    const other = await newPlayer(t, 'telegram', '6002', { xp: 50, coins: 77 });
    const peek = await gql<{ profile: { coins: number | null; identities: unknown } }>(
      t.url,
      PROFILE,
      { id: other },
      token,
    );
    expect(peek.data!.profile).toMatchObject({ xp: 50, coins: null, identities: null });
    const asAdmin = await gql<{ profile: { coins: number } }>(
      t.url,
      PROFILE,
      { id: other },
      TEST_ADMIN_TOKEN,
    );
    expect(asAdmin.data!.profile).toMatchObject({
      coins: 77,
      identities: [{ platform: 'telegram', externalId: '6002' }],
    });
    const own = await gql<{ profile: { coins: number } }>(t.url, PROFILE, { id: myAccount }, token);
    expect(own.data!.profile.coins).toBe(0);

    const noSession = await gql(t.url, `{ me { xp } }`);
    expect(noSession.errors![0].extensions!.code).toBe('UNAUTHENTICATED');

    // A code issued here and redeemed on the Discord side, through the same service the bot uses.
    const code = await gql<{ createLinkCode: { code: string } }>(
      t.url,
      `mutation { createLinkCode { code expiresAt } }`,
      {},
      token,
    );
    expect(code.data!.createLinkCode.code).toMatch(/\S{4,}/);
    const discordSide = await newPlayer(t, 'discord', '400000000000000001', { xp: 20 });
    const { LinkCodes } = await import('@ttfd/linking');
    const discordCode = await t.app.get(LinkCodes).issueCode('discord', '400000000000000001');
    const wrong = await gql(
      t.url,
      `mutation { redeemLinkCode(code: "ZZZZ-ZZZZ") { accountId } }`,
      {},
      token,
    );
    expect(wrong.errors![0].extensions!.code).toMatch(/^LINK_CODE_/);
    const linked = await gql<{ redeemLinkCode: { accountId: string; absorbedAccountId: string } }>(
      t.url,
      `mutation R($code: String!) { redeemLinkCode(code: $code) { accountId absorbedAccountId } }`,
      { code: discordCode.code },
      token,
    );
    expect(linked.errors).toBeUndefined();
    expect(linked.data!.redeemLinkCode).toEqual({
      accountId: myAccount,
      absorbedAccountId: discordSide,
    });
    const unlinked = await gql<{ unlink: { telegramAccountId: string; discordAccountId: string } }>(
      t.url,
      `mutation { unlink { telegramAccountId discordAccountId } }`,
      {},
      token,
    );
    expect(unlinked.data!.unlink.telegramAccountId).toBe(myAccount);
    expect(unlinked.data!.unlink.discordAccountId).not.toBe(myAccount);
  });

  it('serves every admin query and mutation with the token and refuses them without', async () => {
    const player = await newPlayer(t, 'telegram', '7001', { xp: 100, coins: 10 });
    const operations: [string, Record<string, unknown>][] = [
      [
        `{ syncStats(windowMinutes: 60) { windowMinutes byStatus { key count } byType { type status count } throughputPerMinute lagMs { p50 } oldestPendingAgeMs } }`,
        {},
      ],
      [
        `{ syncEvents(filter: { type: "xp.changed" }, first: 5) { events { id type status payload } hasNextPage endCursor } }`,
        {},
      ],
      [`mutation { retrySyncEvent(id: "1") }`, {}],
      [`mutation { retryFailedSyncEvents }`, {}],
      [`{ reconcileReports(limit: 5) { id jobId drifted } }`, {}],
      [`mutation { runReconcile }`, {}],
      [`{ rankRoles { key discordRoleId } }`, {}],
      [
        `mutation { setRankRole(rankId: 7, role: { discordRoleId: "110000000000000007" }) { resynced mappings { key discordRoleId } } }`,
        {},
      ],
      [`{ achievementRoles { key discordRoleId } }`, {}],
      [
        `mutation { setAchievementRole(code: "linked", role: { discordRoleId: "110000000000000099" }) { resynced } }`,
        {},
      ],
      [
        `query A($id: ID!) { account(id: $id) { id xp coins ledger(first: 5) { entries { xpDelta reason source } } roles { wanted applied } } }`,
        { id: player },
      ],
      [
        `mutation J($id: ID!) { adjustAccount(accountId: $id, input: { currency: "xp", delta: 5, reason: "gql" }, idempotencyKey: "gql-1") { xp duplicate } }`,
        { id: player },
      ],
      [`mutation S($id: ID!) { resyncAccount(accountId: $id) }`, { id: player }],
      [`{ queues { queue waiting active delayed failed } }`, {}],
    ];
    for (const [query, variables] of operations) {
      const none = await gql(t.url, query, variables);
      expect([query, none.errors?.[0]?.extensions?.code]).toEqual([query, 'UNAUTHENTICATED']);
      const wrong = await gql(t.url, query, variables, 'not-the-admin-token-at-all');
      expect([query, wrong.errors?.[0]?.extensions?.code]).toEqual([query, 'UNAUTHENTICATED']);
      const right = await adminGql(t.url, query, variables);
      expect([query, right.errors]).toEqual([query, undefined]);
    }
    const account = await adminGql<{
      account: { xp: number; ledger: { entries: { source: string }[] } };
    }>(
      t.url,
      `query A($id: ID!) { account(id: $id) { xp ledger { entries { source reason } } } }`,
      { id: player },
    );
    expect(account.data!.account.xp).toBe(105);
    expect(account.data!.account.ledger.entries[0]).toMatchObject({ source: 'admin' });
    const again = await adminGql<{ adjustAccount: { xp: number; duplicate: boolean } }>(
      t.url,
      `mutation J($id: ID!) { adjustAccount(accountId: $id, input: { currency: "xp", delta: 5, reason: "gql" }, idempotencyKey: "gql-1") { xp duplicate } }`,
      { id: player },
    );
    expect(again.data!.adjustAccount).toEqual({ xp: 105, duplicate: true });
    const badRole = await adminGql(
      t.url,
      `mutation { setRankRole(rankId: 3, role: { discordRoleId: "12" }) { resynced } }`,
    );
    expect(badRole.errors![0].extensions!.code).toBe('BAD_REQUEST');
    expect(badRole.errors![0].message).toContain('discordRoleId');
  });

  it('exposes Prometheus metrics whose counters move after an award', async () => {
    const before = parseMetrics((await http(t.url, 'GET', '/metrics')).text);
    await newPlayer(t, 'telegram', '8001', { xp: 30 });
    await gql(t.url, `{ ranks { id } }`);
    const after = parseMetrics((await http(t.url, 'GET', '/metrics')).text);
    const xpEvents = (m: Map<string, number>) =>
      metricSum(m, 'ttfd_sync_events', ['type="xp.changed"']);
    expect(xpEvents(after)).toBe(xpEvents(before) + 1);
    const created = (m: Map<string, number>) =>
      metricSum(m, 'ttfd_sync_events_created_total', ['type="xp.changed"']);
    expect(created(after)).toBe(created(before) + 1);
    expect(
      metricSum(after, 'ttfd_http_request_duration_seconds_count', ['route="/graphql"']),
    ).toBeGreaterThan(
      metricSum(before, 'ttfd_http_request_duration_seconds_count', ['route="/graphql"']),
    );
    expect(
      metricSum(after, 'ttfd_graphql_operation_duration_seconds_count', ['operation="query"']),
    ).toBeGreaterThan(0);
    expect(after.has('ttfd_queue_jobs{queue="sync",state="waiting"}')).toBe(true);
    expect(after.has('ttfd_sync_oldest_pending_age_seconds')).toBe(true);
    expect(after.has('ttfd_link_attempts_last_hour{outcome="refused"}')).toBe(true);
  });

  it('sends an alert to the Telegram chat when failures pass the threshold, once per quiet period', async () => {
    const db = t.app.get(DataSource);
    expect(bot.messages).toHaveLength(0);
    await db.query(
      `UPDATE sync_events SET status = 'failed', last_error = 'test' WHERE id IN (SELECT id FROM sync_events ORDER BY id LIMIT 3)`,
    );
    await waitFor(() => bot.messages.length === 1, { what: 'the failed-events alert' });
    expect(bot.messages[0]).toMatchObject({
      chat_id: '-100123',
      text: expect.stringContaining('failed'),
    });
    const evaluator = t.app.get(AlertEvaluator);
    await evaluator.tick();
    await evaluator.tick();
    expect(bot.messages).toHaveLength(1); // within the quiet period
    clock.advance(600_001);
    await waitFor(() => bot.messages.length === 2, {
      what: 'the alert again after the quiet period',
    });
  });

  it('alerts when the open season is still open 10 minutes after its end', async () => {
    const season = (await t.app.get(SeasonsService).current())!;
    const evaluator = t.app.get(AlertEvaluator);
    const kinds = async () => (await evaluator.check()).map((alert) => alert.kind);
    clock.set(new Date(season.endsAt.getTime() + 9 * 60_000));
    expect(await kinds()).not.toContain('season_overdue');
    clock.set(new Date(season.endsAt.getTime() + 11 * 60_000));
    const alerts = await evaluator.check();
    expect(alerts.find((alert) => alert.kind === 'season_overdue')?.message).toMatch(
      new RegExp(`^season ${season.id} is still open 11 min after its end`),
    );
    const metrics = parseMetrics((await http(t.url, 'GET', '/metrics')).text);
    expect(metrics.get('ttfd_season_overdue_seconds')).toBe(11 * 60);
  });
});
