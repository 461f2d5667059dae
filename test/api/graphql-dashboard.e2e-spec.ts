import { DataSource } from 'typeorm';
import { SystemClock } from '@ttfd/clock';
import { LedgerService } from '@ttfd/economy';
import { startTestApp, TestApp } from '../support/test-app';
import { adminGql, gql } from './api-client';
import { newPlayer } from './fixtures';

/** The GraphQL the dashboard needed beyond the admin API: aggregates, lookups, seasons. */
describe('GraphQL for the dashboard', () => {
  let t: TestApp;
  let telegramOnly: string;
  let linked: string;

  beforeAll(async () => {
    t = await startTestApp({ clock: new SystemClock(), env: { APP_ROLES: 'api' } });
    telegramOnly = await newPlayer(t, 'telegram', '9100', { xp: 120 });
    linked = await newPlayer(t, 'telegram', '9101', { xp: 30 });
    // A second identity on the same account: what a redeemed link code leaves behind.
    await t.app.get(LedgerService).award({
      accountId: linked,
      xp: 5,
      reason: 'discord_message',
      source: 'discord',
      idempotencyKey: 'dash:msg',
    });
    await t.app.get(LedgerService).award({
      accountId: telegramOnly,
      coins: 5,
      reason: 'daily_reward',
      source: 'telegram',
      idempotencyKey: 'dash:coins-only',
    });
    await t.app
      .get(DataSource)
      .query(
        `INSERT INTO identities (account_id, platform, external_id) VALUES ($1, 'discord', '410000000000009101')`,
        [linked],
      );
  });
  afterAll(async () => {
    await t?.close();
  });

  it('communityOverview: players, linked share, XP today and a bucketed series (admin only)', async () => {
    const query = `{ communityOverview(hours: 1, bucketMinutes: 15) {
      players linkedPlayers linkedShare xpAwardedToday bucketMinutes series { at completed lagP95Ms } } }`;
    expect((await gql(t.url, query)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const { data, errors } = await adminGql<{
      communityOverview: {
        players: number;
        linkedPlayers: number;
        linkedShare: number;
        xpAwardedToday: number;
        bucketMinutes: number;
        series: { at: string; completed: number; lagP95Ms: number | null }[];
      };
    }>(t.url, query);
    expect(errors).toBeUndefined();
    const overview = data!.communityOverview;
    expect(overview).toMatchObject({
      players: 2,
      linkedPlayers: 1,
      linkedShare: 0.5,
      xpAwardedToday: 155,
      bucketMinutes: 15,
    });
    expect(overview.series).toHaveLength(4);
    const times = overview.series.map((point) => Date.parse(point.at));
    expect(times.every((time, i) => i === 0 || time - times[i - 1] === 15 * 60_000)).toBe(true);
  });

  it('accountByIdentity finds the account of a Telegram or Discord id; null when unknown', async () => {
    const query = `query F($p: String!, $e: String!) { accountByIdentity(platform: $p, externalId: $e) {
      id xp roles { wanted } ledger(first: 5) { entries { reason } } } }`;
    expect(
      (await gql(t.url, query, { p: 'telegram', e: '9100' })).errors?.[0].extensions?.code,
    ).toBe('UNAUTHENTICATED');
    const byTelegram = await adminGql<{ accountByIdentity: { id: string; xp: number } }>(
      t.url,
      query,
      { p: 'telegram', e: '9100' },
    );
    expect(byTelegram.data!.accountByIdentity).toMatchObject({ id: telegramOnly, xp: 120 });
    const byDiscord = await adminGql<{ accountByIdentity: { id: string } }>(t.url, query, {
      p: 'discord',
      e: '410000000000009101',
    });
    expect(byDiscord.data!.accountByIdentity.id).toBe(linked);
    const unknown = await adminGql(t.url, query, { p: 'discord', e: '1' });
    expect(unknown.data).toEqual({ accountByIdentity: null });
    const bad = await adminGql(t.url, query, { p: 'icq', e: '1' });
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_REQUEST');
  });

  it('syncEvent reads one event by id (admin only)', async () => {
    const page = await adminGql<{ syncEvents: { events: { id: string; type: string }[] } }>(
      t.url,
      `{ syncEvents(first: 1) { events { id type } } }`,
    );
    const newest = page.data!.syncEvents.events[0];
    const one = await adminGql(t.url, `query E($id: ID!) { syncEvent(id: $id) { id type } }`, {
      id: newest.id,
    });
    expect(one.data).toEqual({ syncEvent: newest });
    const none = await adminGql(t.url, `{ syncEvent(id: "999999") { id } }`);
    expect(none.data).toEqual({ syncEvent: null });
    expect((await gql(t.url, `{ syncEvent(id: "1") { id } }`)).errors?.[0].extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('seasons (public) lists seasons newest first; loginOptions says when player login is off', async () => {
    const { data, errors } = await gql<{
      seasons: { id: number; name: string; status: string }[];
      loginOptions: { telegramBot: string | null };
    }>(t.url, `{ seasons { id name status startsAt endsAt } loginOptions { telegramBot } }`);
    expect(errors).toBeUndefined();
    expect(data!.loginOptions).toEqual({ telegramBot: null });
    const ids = data!.seasons.map((season) => season.id);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
  });
});
