/**
 * Error level is for faults. A refused GraphQL call (no admin token, throttled fields, a
 * domain refusal) writes one warning for the request, without a stack, and no error line.
 */
import { LogCapture, startTestApp, TestApp } from '../support/test-app';
import { adminGql, gql } from './api-client';

const WARN = 40;
const ERROR = 50;
type Line = Record<string, unknown> & { level: number; msg: string };

describe('GraphQL refusals are warnings, once per request', () => {
  const logs = new LogCapture();
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ logs, env: { THROTTLE_LIMIT: '5' } });
  });

  afterAll(async () => {
    await app?.close();
  });

  const linesAfter = (from: number) => logs.lines.slice(from) as Line[];

  it('an admin query without the token: UNAUTHENTICATED, one warning, no error line', async () => {
    const from = logs.lines.length;
    const answer = await gql(
      app.url,
      'query Stats { syncStats(windowMinutes: 15) { windowMinutes } }',
    );
    expect(answer.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const lines = linesAfter(from);
    expect(lines.filter((l) => l.level >= ERROR)).toEqual([]);
    const warnings = lines.filter((l) => l.level === WARN && /GraphQL/.test(l.msg));
    expect(warnings.map((l) => l.msg)).toEqual(['GraphQL Stats refused: UNAUTHENTICATED']);
    expect(JSON.stringify(warnings)).not.toMatch(/\s+at /);
  });

  it('a document of 20 throttled aliases: one warning for the request, no error line', async () => {
    const from = logs.lines.length;
    const aliases = Array.from({ length: 20 }, (_, i) => `r${i}: ranks { id }`).join(' ');
    const answer = await gql(app.url, `query Flood { ${aliases} }`);
    const limited = (answer.errors ?? []).filter((e) => e.extensions?.code === 'RATE_LIMITED');
    // The first refused root field nulls `data`; the other 19 resolvers were refused as well.
    expect(limited.length).toBeGreaterThanOrEqual(1);
    // Their guards' refusals finish after the answer: one more request lets them be logged.
    await gql(app.url, '{ __typename }');
    const lines = linesAfter(from);
    expect(lines.filter((l) => l.level >= ERROR)).toEqual([]);
    const warnings = lines.filter((l) => l.level === WARN && /GraphQL/.test(l.msg));
    expect(warnings.map((l) => l.msg)).toEqual([
      `GraphQL Flood refused: RATE_LIMITED${limited.length > 1 ? ` x${limited.length}` : ''}`,
    ]);
  });

  it('a domain refusal over GraphQL (an admin adjustment of an unknown account): a warning, no error line', async () => {
    const from = logs.lines.length;
    const answer = await adminGql(
      app.url,
      `mutation Adjust {
        adjustAccount(accountId: "999999", idempotencyKey: "k1",
          input: { currency: "xp", delta: 10, reason: "test" }) { xp }
      }`,
    );
    expect(answer.errors?.length).toBeGreaterThan(0);
    const lines = linesAfter(from);
    expect(lines.filter((l) => l.level >= ERROR)).toEqual([]);
    expect(
      lines.filter((l) => l.level === WARN && /GraphQL Adjust refused/.test(l.msg)),
    ).toHaveLength(1);
  });
});
