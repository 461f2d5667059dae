import { monitorEventLoopDelay } from 'node:perf_hooks';
import { getIntrospectionQuery } from 'graphql';
import { signSession } from '@ttfd/api';
import { ManualClock } from '@ttfd/clock';
import { startTestApp, TEST_SESSION_SECRET, TestApp } from '../support/test-app';
import { adminGql, gql, http, parseMetrics, postDeclaredOnly } from './api-client';
import { dataSourceOf, newPlayer } from './fixtures';

type Errors = { errors?: { extensions?: { code?: string } }[] };
const codeOf = (body: unknown) => (body as Errors).errors?.[0]?.extensions?.code;

/** The adversarial documents of the red team's report, each small enough to send. */
function fragmentDoubling(levels: number): string {
  let doc = `query Q { ranks { ...F${levels} } }\nfragment F0 on Rank { id nameEn }\n`;
  for (let i = 1; i <= levels; i += 1)
    doc += `fragment F${i} on Rank { ...F${i - 1} ...F${i - 1} }\n`;
  return doc;
}
const aliases = (count: number, selection: string) =>
  `{ ${Array.from({ length: count }, (_, i) => `a${i}: ${selection}`).join(' ')} }`;

describe('GraphQL: hostile documents are refused before they cost anything', () => {
  let t: TestApp;
  const clock = new ManualClock('2026-01-15T12:00:00Z');

  beforeAll(async () => {
    t = await startTestApp({
      clock,
      // No per-caller limit here: this suite sends thousands of requests from one address.
      env: { APP_ROLES: 'api', GRAPHQL_RATE_LIMIT: '1000000' },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('keeps the event loop responsive under every shape, refusing each with a stable code', async () => {
    const attacks: { name: string; body: unknown; status: number; code: string }[] = [
      {
        name: 'fragment doubling, 22 levels',
        body: { query: fragmentDoubling(22), operationName: 'Q' },
        status: 400,
        code: 'QUERY_TOO_COMPLEX',
      },
      {
        name: 'alias flood within the token budget',
        body: { query: aliases(600, '__typename') },
        status: 400,
        code: 'QUERY_TOO_MANY_ALIASES',
      },
      {
        name: 'alias flood beyond the token budget',
        body: { query: aliases(1300, 'ranks { id }') },
        status: 400,
        code: 'GRAPHQL_PARSE_FAILED',
      },
      {
        name: 'introspection aliases',
        body: { query: aliases(25, '__schema { types { name fields { name } } }') },
        status: 400,
        code: 'QUERY_TOO_COMPLEX',
      },
      {
        name: 'introspection aliases in 82 KB',
        body: {
          query: aliases(1300, '__schema { types { name kind fields { name args { name } } } }'),
        },
        status: 413,
        code: 'BODY_TOO_LARGE',
      },
      {
        name: 'deep nesting',
        body: {
          query: `{ ${'leaderboard { entries { rank { '.repeat(60)}id${' } } }'.repeat(60)} }`,
        },
        status: 400,
        code: 'QUERY_TOO_DEEP',
      },
      {
        name: 'directive flood',
        body: { query: `{ ranks ${'@include(if: true) '.repeat(600)}{ id } }` },
        status: 400,
        code: 'QUERY_TOO_MANY_DIRECTIVES',
      },
      {
        name: 'many top-level fields',
        body: { query: `{ ${'ranks { id } '.repeat(25)}}` },
        status: 400,
        code: 'QUERY_TOO_MANY_ROOT_FIELDS',
      },
    ];
    for (const attack of attacks) {
      const histogram = monitorEventLoopDelay({ resolution: 10 });
      histogram.enable();
      // Four at once, as the red team sent them.
      const answers = await Promise.all(
        [1, 2, 3, 4].map(() => http(t.url, 'POST', '/graphql', { body: attack.body })),
      );
      histogram.disable();
      const maxDelayMs = histogram.max / 1e6;
      expect({ attack: attack.name, statuses: answers.map((a) => a.status) }).toEqual({
        attack: attack.name,
        statuses: [attack.status, attack.status, attack.status, attack.status],
      });
      expect({ attack: attack.name, code: codeOf(answers[0].body) }).toEqual({
        attack: attack.name,
        code: attack.code,
      });
      expect({ attack: attack.name, slow: maxDelayMs >= 250 }).toEqual({
        attack: attack.name,
        slow: false,
      });
    }
  });

  it('refuses huge variables from the declared length, before reading the body', async () => {
    // The body is declared at 2 MB but never sent: an answer can only come from the headers, so
    // the refusal costs no read, no buffer and no JSON parse however large the body claims to be.
    // (A timed check here measured the test's own 8 MB of JSON.stringify and writes, not the app.)
    const answer = await postDeclaredOnly(
      t.url,
      '/graphql',
      2_000_000,
      '{"query":"query L($after: String) { leaderboard(after: $after) { endCursor } }"',
    );
    expect(answer.status).toBe(413);
    expect(codeOf(answer.body)).toBe('BODY_TOO_LARGE');
  });

  it('still answers getIntrospectionQuery() and the dashboard operations', async () => {
    const introspection = await gql<{ __schema: { types: unknown[] } }>(
      t.url,
      getIntrospectionQuery(),
    );
    expect(introspection.errors).toBeUndefined();
    expect(introspection.data!.__schema.types.length).toBeGreaterThan(20);
    const full = await gql(
      t.url,
      getIntrospectionQuery({
        descriptions: true,
        specifiedByUrl: true,
        directiveIsRepeatable: true,
        schemaDescription: true,
        inputValueDeprecation: true,
      }),
    );
    expect(full.errors).toBeUndefined();
  });

  // 10,000 names through the plugin itself: graphql-metrics.plugin.spec.ts.
  it('labels metrics with the dashboard operation names only: 200 invented names add one series', async () => {
    const series = async () =>
      [...parseMetrics((await http(t.url, 'GET', '/metrics')).text).keys()].filter((key) =>
        key.startsWith('ttfd_graphql_operation_duration_seconds_count'),
      );
    await adminGql(t.url, `query Overview { ranks { id } }`);
    const before = await series();
    const names = Array.from(
      { length: 10_000 },
      (_, i) => `Probe${i}_${Math.random().toString(36).slice(2)}`,
    );
    for (let i = 0; i < names.length; i += 50) {
      await Promise.all(
        names.slice(i, i + 50).map((name) => gql(t.url, `query ${name} { __typename }`)),
      );
    }
    const after = await series();
    const added = after.filter((key) => !before.includes(key));
    expect(added.length).toBeLessThanOrEqual(1);
    expect(added.every((key) => key.includes('name="other"'))).toBe(true);
    expect(after.some((key) => key.includes('name="Overview"'))).toBe(true);
  });
});

describe('GraphQL: per-caller rate limits and player mutations', () => {
  let t: TestApp;
  const clock = new ManualClock('2026-01-15T12:00:00Z');
  const session = (telegramId: string) =>
    signSession(
      {
        tg: telegramId,
        iat: Math.floor(clock.nowMs() / 1000),
        exp: Math.floor(clock.nowMs() / 1000) + 3600,
      },
      TEST_SESSION_SECRET,
    );

  beforeAll(async () => {
    t = await startTestApp({
      clock,
      env: {
        APP_ROLES: 'api',
        GRAPHQL_RATE_LIMIT: '20',
        GRAPHQL_RATE_WINDOW_MS: '60000',
        PLAYER_MUTATION_LIMIT: '5',
      },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('throttles every request of one caller, __typename included, but not the admin', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 21; i += 1) statuses.push((await gql(t.url, `{ __typename }`)).status);
    expect(statuses.slice(0, 20).every((status) => status === 200)).toBe(true);
    const refused = await http(t.url, 'POST', '/graphql', { body: { query: '{ __typename }' } });
    expect(refused.status).toBe(429);
    expect(codeOf(refused.body)).toBe('RATE_LIMITED');
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await adminGql(t.url, `{ __typename }`)).status).toBe(200);
    // A player is counted by session, not by the address the anonymous flood used up.
    expect((await gql(t.url, `{ __typename }`, {}, session('7001'))).status).toBe(200);
    clock.advance(60_000);
    expect((await gql(t.url, `{ __typename }`)).status).toBe(200);
  });

  it('caps link codes per player: aliases are refused, each call is counted, one code stays live', async () => {
    const accountId = await newPlayer(t, 'telegram', '7002');
    const token = session('7002');
    const flood = await gql(
      t.url,
      `mutation ${aliases(200, 'createLinkCode { code }')}`,
      {},
      token,
    );
    expect(flood.status).toBe(400);
    expect(flood.errors![0].extensions!.code).toBe('QUERY_TOO_MANY_ALIASES');

    const burst = await gql<Record<string, { code: string } | null>>(
      t.url,
      `mutation ${aliases(8, 'createLinkCode { code }')}`,
      {},
      token,
    );
    // Mutations run one after another: five codes, then every further alias is refused.
    expect(burst.errors!.length).toBeGreaterThan(0);
    expect(new Set(burst.errors!.map((e) => e.extensions!.code))).toEqual(
      new Set(['RATE_LIMITED']),
    );
    const written: { n: string }[] = await dataSourceOf(t).query(
      `SELECT count(*) AS n FROM link_codes WHERE account_id = $1`,
      [accountId],
    );
    expect(Number(written[0].n)).toBe(5);
    const live: { n: string }[] = await dataSourceOf(t).query(
      `SELECT count(*) AS n FROM link_codes WHERE account_id = $1 AND consumed_at IS NULL AND expires_at > $2`,
      [accountId, clock.now()],
    );
    expect(Number(live[0].n)).toBe(1);
  });
});
