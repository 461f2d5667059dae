import { ManualClock } from '@ttfd/clock';
import { startTestApp, TestApp } from '../support/test-app';
import { gql, http } from './api-client';
import { newPlayer } from './fixtures';

describe('GraphQL: public queries, limits, landing page, docs', () => {
  let t: TestApp;
  let top: string;
  let second: string;

  beforeAll(async () => {
    t = await startTestApp({
      clock: new ManualClock('2026-01-15T12:00:00Z'),
      env: { APP_ROLES: 'api', GRAPHQL_MAX_COMPLEXITY: '300' },
    });
    top = await newPlayer(t, 'telegram', '1001', { xp: 8000, coins: 50 });
    second = await newPlayer(t, 'discord', '200000000000000001', { xp: 1500 });
    await newPlayer(t, 'telegram', '1003', { xp: 10 });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lists the 20 ranks and the achievement catalogue', async () => {
    const answer = await gql<{
      ranks: { id: number; minXp: number }[];
      achievements: { code: string }[];
    }>(t.url, `{ ranks { id nameEn minXp } achievements { code nameEn } }`);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.ranks).toHaveLength(20);
    expect(answer.data!.ranks[1]).toMatchObject({ id: 2, minXp: 1000 });
    expect(answer.data!.achievements.map((a) => a.code)).toContain('first_win');
  });

  it('pages the all-time leaderboard with a cursor, ranks and achievements batched', async () => {
    type Page = {
      leaderboard: {
        entries: {
          place: number;
          accountId: string;
          xp: number;
          rank: { id: number };
          achievements: { code: string }[];
        }[];
        endCursor: string;
        hasNextPage: boolean;
      };
    };
    const query = `query L($after: String) { leaderboard(first: 2, after: $after) {
      entries { place accountId xp rank { id } achievements { code } } endCursor hasNextPage } }`;
    const first = await gql<Page>(t.url, query);
    expect(first.errors).toBeUndefined();
    expect(
      first.data!.leaderboard.entries.map((e) => [e.place, e.accountId, e.xp, e.rank.id]),
    ).toEqual([
      [1, top, 8000, 5],
      [2, second, 1500, 2],
    ]);
    expect(first.data!.leaderboard.entries[0].achievements.map((a) => a.code)).toContain('rank_5');
    expect(first.data!.leaderboard.hasNextPage).toBe(true);
    const next = await gql<Page>(t.url, query, { after: first.data!.leaderboard.endCursor });
    expect(next.data!.leaderboard.entries.map((e) => e.place)).toEqual([3]);
    expect(next.data!.leaderboard.hasNextPage).toBe(false);
  });

  it('answers a stable code for a bad cursor and an unknown season, without stack traces', async () => {
    const bad = await gql(t.url, `{ leaderboard(after: "nope") { hasNextPage } }`);
    expect(bad.errors![0].extensions).toEqual({ code: 'INVALID_CURSOR' });
    const season = await gql(t.url, `{ leaderboard(season: 999) { hasNextPage } }`);
    expect(season.errors![0].extensions!.code).toBe('SEASON_NOT_FOUND');
    expect(JSON.stringify(season)).not.toMatch(/stacktrace|at .*\.ts/);
  });

  it('shows a profile with rank progress and achievements, hiding coins and identities', async () => {
    const answer = await gql<{ profile: Record<string, unknown> }>(
      t.url,
      `query P($id: ID!) { profile(accountId: $id) { accountId xp coins rank { id nameEn }
         nextRank { id } progress { xpIntoRank xpForNextRank percent } achievements { code }
         identities { platform externalId } } }`,
      { id: top },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.profile).toMatchObject({
      accountId: top,
      xp: 8000,
      coins: null,
      identities: null,
      rank: { id: 5, nameEn: 'Warrior' },
      nextRank: { id: 6 },
      progress: { xpIntoRank: 300, xpForNextRank: 3800, percent: 7 },
    });
    const missing = await gql(t.url, `{ profile(accountId: "999999") { xp } }`);
    expect(missing.errors![0].extensions!.code).toBe('ACCOUNT_NOT_FOUND');
  });

  it('serves a landing page that references nothing outside the app', async () => {
    const res = await http(t.url, 'GET', '/graphql', { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.text).toContain('TTFD Sync GraphQL');
    expect(res.text).not.toMatch(/https?:\/\//);
  });

  it('serves OpenAPI at /docs with local Swagger UI assets', async () => {
    const page = await http(t.url, 'GET', '/docs');
    expect(page.status).toBe(200);
    expect(page.text).not.toMatch(/(src|href)="https?:\/\//);
    const json = await http(t.url, 'GET', '/docs-json');
    expect(json.status).toBe(200);
    expect(Object.keys((json.body as { paths: object }).paths)).toContain('/auth/telegram');
  });
});

describe('GraphQL: query limits', () => {
  let shallow: TestApp;

  beforeAll(async () => {
    shallow = await startTestApp({
      env: { APP_ROLES: 'api', GRAPHQL_MAX_DEPTH: '3', GRAPHQL_MAX_COMPLEXITY: '300' },
    });
  });
  afterAll(async () => {
    await shallow?.close();
  });

  it('refuses a query deeper than GRAPHQL_MAX_DEPTH or costlier than the complexity limit', async () => {
    // GRAPHQL_MAX_DEPTH=3 here: three field levels pass, four are refused before any resolver.
    const atLimit = await gql(shallow.url, `{ leaderboard { entries { xp } } }`);
    expect(atLimit.errors).toBeUndefined();
    const tooDeep = await http(shallow.url, 'POST', '/graphql', {
      body: {
        query: `{ leaderboard { ...E } } fragment E on LeaderboardPage { entries { rank { id } } }`,
      },
    });
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.body).toEqual({
      errors: [expect.objectContaining({ extensions: { code: 'QUERY_TOO_DEEP' } })],
    });
    const costly = await http(shallow.url, 'POST', '/graphql', {
      body: { query: `{ leaderboard(first: 100) { entries { place xp accountId } } }` },
    });
    expect(costly.status).toBe(400);
    expect(
      (costly.body as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code,
    ).toBe('QUERY_TOO_COMPLEX');
  });
});
