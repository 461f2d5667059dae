/**
 * The XP rules over admin REST and GraphQL (validated, clear errors, the same view both ways),
 * and the player's own settings over GraphQL and REST.
 */
import { ManualClock } from '@ttfd/clock';
import { DailyService } from '@ttfd/games';
import { startTestApp, TEST_ADMIN_TOKEN, TestApp } from '../support/test-app';
import { adminGql, gql, http } from './api-client';
import { dataSourceOf, TEST_BOT_TOKEN, widgetData } from './fixtures';

const RULES = `{ version globalMultiplier multipliers { kind targetId multiplier }
  events { id name multiplier sources startsAt endsAt }
  announcements { enabled telegramChatId templateEn } timeZone }`;

describe('XP rules and player settings over the API', () => {
  let t: TestApp;
  const clock = new ManualClock('2026-12-05T12:00:00Z');

  beforeAll(async () => {
    t = await startTestApp({
      clock,
      env: {
        APP_ROLES: 'api',
        TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN,
        TELEGRAM_API_ROOT: 'http://127.0.0.1:9',
        COMMUNITY_TIMEZONE: 'Europe/Moscow',
      },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses without the admin token', async () => {
    expect((await http(t.url, 'GET', '/admin/xp-rules')).status).toBe(401);
    const answer = await gql(t.url, `query { xpRules ${RULES} }`);
    expect(answer.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
  });

  it('edits multipliers over REST with clear refusals that change nothing', async () => {
    const before = (await http(t.url, 'GET', '/admin/xp-rules', { token: TEST_ADMIN_TOKEN }))
      .body as { version: number };
    const bad = await http(t.url, 'PUT', '/admin/xp-rules/multipliers', {
      token: TEST_ADMIN_TOKEN,
      body: { kind: 'channel', targetId: '100000000000000001', multiplier: 12 },
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('multiplier must be from 0 (no XP) to 10, got 12');
    const unknownField = await http(t.url, 'PUT', '/admin/xp-rules/multipliers', {
      token: TEST_ADMIN_TOKEN,
      body: { kind: 'channel', targetId: '100000000000000001', multiplier: 2, evil: 1 },
    });
    expect(unknownField.status).toBe(400);

    const set = await http(t.url, 'PUT', '/admin/xp-rules/multipliers', {
      token: TEST_ADMIN_TOKEN,
      body: { kind: 'role', targetId: '100000000000000002', multiplier: 0, note: 'muted' },
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({
      version: before.version + 1,
      multipliers: [{ kind: 'role', targetId: '100000000000000002', multiplier: 0, note: 'muted' }],
    });
    const removed = await http(
      t.url,
      'DELETE',
      '/admin/xp-rules/multipliers/role/100000000000000002',
      { token: TEST_ADMIN_TOKEN },
    );
    expect(removed.body).toMatchObject({ multipliers: [] });
    const gone = await http(t.url, 'DELETE', '/admin/xp-rules/events/424242', {
      token: TEST_ADMIN_TOKEN,
    });
    expect(gone.status).toBe(404);
  });

  it('schedules an event over GraphQL in the community zone; the next daily is doubled', async () => {
    const refused = await adminGql(
      t.url,
      `mutation E($input: XpEventInput!) { createXpEvent(input: $input) ${RULES} }`,
      {
        input: {
          name: 'x',
          multiplier: 2,
          sources: ['daily', 'poker'],
          startsAt: '2026-12-05T10:00',
          endsAt: '2026-12-05T20:00',
        },
      },
    );
    expect(refused.errors![0].extensions!.code).toBe('INVALID_XP_RULE');
    expect(refused.errors![0].message).toContain('unknown source(s) poker');

    const made = await adminGql<{ createXpEvent: { events: { startsAt: string }[] } }>(
      t.url,
      `mutation E($input: XpEventInput!) { createXpEvent(input: $input) ${RULES} }`,
      {
        input: {
          name: 'Saturday',
          multiplier: 2,
          sources: ['daily'],
          startsAt: '2026-12-05T10:00',
          endsAt: '2026-12-05T20:00',
        },
      },
    );
    expect(made.errors).toBeUndefined();
    expect(made.data!.createXpEvent.events[0].startsAt).toBe('2026-12-05T07:00:00.000Z');

    const accountId = String(
      (
        (await dataSourceOf(t).query(`INSERT INTO accounts DEFAULT VALUES RETURNING id`)) as {
          id: string;
        }[]
      )[0].id,
    );
    const claim = await t.app.get(DailyService).claim(accountId, 'telegram');
    expect(claim).toMatchObject({ xp: 200, coins: 50 });
  });

  it('sets announcements and refuses an unknown placeholder', async () => {
    const bad = await http(t.url, 'PUT', '/admin/xp-rules/announcements', {
      token: TEST_ADMIN_TOKEN,
      body: { templateEn: 'Congrats {name}!' },
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('unknown placeholder(s) {name}');
    const ok = await adminGql<{ setRankAnnouncements: { announcements: unknown } }>(
      t.url,
      `mutation A($input: RankAnnouncementsInput!) { setRankAnnouncements(input: $input) ${RULES} }`,
      { input: { enabled: true, telegramChatId: '-1001', templateEn: 'GG {player}: {rank}' } },
    );
    expect(ok.data!.setRankAnnouncements.announcements).toEqual({
      enabled: true,
      telegramChatId: '-1001',
      templateEn: 'GG {player}: {rank}',
    });
  });

  it('lets a player read and change their own settings over GraphQL and REST', async () => {
    const login = await gql<{ loginWithTelegram: { token: string } }>(
      t.url,
      `mutation L($input: TelegramLoginInput!) { loginWithTelegram(input: $input) { token } }`,
      { input: widgetData('7001', clock.nowMs()) },
    );
    const token = login.data!.loginWithTelegram.token;
    const read = await gql(t.url, `{ mySettings { dmOptOut leaderboardHidden } }`, {}, token);
    expect(read.data).toEqual({ mySettings: { dmOptOut: false, leaderboardHidden: false } });
    const changed = await gql(
      t.url,
      `mutation { updateMySettings(input: { dmOptOut: true }) { dmOptOut leaderboardHidden } }`,
      {},
      token,
    );
    expect(changed.data).toEqual({
      updateMySettings: { dmOptOut: true, leaderboardHidden: false },
    });
    const rest = await http(t.url, 'PUT', '/me/settings', {
      token,
      body: { leaderboardHidden: true },
    });
    expect(rest.body).toEqual({ dmOptOut: true, leaderboardHidden: true });
    expect((await http(t.url, 'GET', '/me/settings')).status).toBe(401);
    const stored = await dataSourceOf(t).query(
      `SELECT a.dm_opt_out, a.leaderboard_hidden FROM accounts a
         JOIN identities i ON i.account_id = a.id WHERE i.external_id = '7001'`,
    );
    expect(stored).toEqual([{ dm_opt_out: true, leaderboard_hidden: true }]);
  });
});
