/**
 * Discord and Telegram fail every week: 10062 Unknown interaction, 5xx on a deferred reply's
 * edit, 429s. Each is a non-event: one warning, a counted call, `/health` 200 with the
 * platform `degraded`, and the next command answered. (The child-process chaos test shows the
 * same pid survives; here we look at what the app says and counts.)
 */
import { Client } from 'discord.js';
import { ManualClock } from '@ttfd/clock';
import { FakeDiscord, type InteractionHandle } from '../fakes/discord';
import { FakeTelegram, FakeUser } from '../fakes/telegram';
import { LogCapture, TestApp, waitFor } from '../support/test-app';
import { startDiscordApp } from '../discord/discord-test-kit';
import { startBotApp } from '../telegram/bot-app';

const WARN = 40;
const ERROR = 50;
const CALLBACK = 'POST /interactions/:id/:token/callback';
const EDIT = 'PATCH /webhooks/:appId/:token/messages/:messageId';
const UNKNOWN_INTERACTION = { status: 404, code: 10062, message: 'Unknown interaction' };

type Line = Record<string, unknown> & { level: number; msg: string };

function linesAfter(logs: LogCapture, from: number): Line[] {
  return logs.lines.slice(from) as Line[];
}

async function metricValue(url: string, series: RegExp): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => series.test(line))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

async function health(url: string): Promise<{ http: number; body: HealthBody }> {
  const response = await fetch(`${url}/health`);
  return { http: response.status, body: (await response.json()) as HealthBody };
}

/**
 * One capture for the file: nestjs-pino keeps its root logger in a static, so the app started
 * last writes every app's lines to its destination.
 */
const logs = new LogCapture();

type HealthBody = {
  status: string;
  checks: Record<string, { status: string; errorRateLastMinute?: number; detail?: string }>;
};

describe('Discord errors never reach the process', () => {
  let fake: FakeDiscord;
  let app: TestApp;

  /** /profile answered with the rank card: the response is final and carries the uploaded PNG. */
  const cardAnswered = async (handle: InteractionHandle): Promise<boolean> => {
    await handle.waitForResponse();
    return fake
      .uploads()
      .some((upload) => upload.path.includes(`/${handle.token}/`) && upload.name.endsWith('.png'));
  };

  beforeAll(async () => {
    fake = await FakeDiscord.start();
    ({ app } = await startDiscordApp(fake, new ManualClock('2026-03-02T10:00:00Z'), { logs }));
  });

  afterAll(async () => {
    await app?.close();
    await fake?.stop();
  });

  it('listens for the client error event (without one, a rejected handler ends the process)', () => {
    expect(app.app.get(Client).listenerCount('error')).toBeGreaterThan(0);
  });

  it('a reply refused with 10062 is one warning with the code and command, and the next /profile is answered', async () => {
    const from = logs.lines.length;
    fake.failNext(CALLBACK, UNKNOWN_INTERACTION);
    fake.interaction({ kind: 'command', name: 'profile', userId: fake.guild.users.alice.id });
    const warning = await waitFor(() =>
      linesAfter(logs, from).find((l) => l.level === WARN && /\/profile/.test(l.msg)),
    );
    expect(warning.msg).toMatch(/Discord code 10062/);
    expect(warning.msg).not.toMatch(/\n\s+at /);

    const next = fake.interaction({
      kind: 'command',
      name: 'profile',
      userId: fake.guild.users.alice.id,
    });
    expect(await cardAnswered(next)).toBe(true);
    expect(linesAfter(logs, from).filter((l) => l.level >= ERROR)).toEqual([]);
    expect(
      linesAfter(logs, from).filter((l) => l.level === WARN && /\/profile/.test(l.msg)),
    ).toHaveLength(1);
  });

  it('a deferred /top whose edit fails with 500 on every attempt is dropped with one warning', async () => {
    const from = logs.lines.length;
    // discord.js makes 3 attempts of a 5xx (retries: 2).
    fake.failNext(EDIT, { status: 500, message: 'Internal Server Error' }, 3);
    fake.interaction({ kind: 'command', name: 'top', userId: fake.guild.users.bob.id });
    const warning = await waitFor(() =>
      linesAfter(logs, from).find((l) => l.level === WARN && /\/top/.test(l.msg)),
    );
    expect(warning.msg).toMatch(/could not edit the reply \(HTTP 500\)/);
    expect(linesAfter(logs, from).filter((l) => l.level >= ERROR)).toEqual([]);
  });

  it('a /sync whose defer fails stops there: no convergence for nobody to see, no second answer', async () => {
    const from = logs.lines.length;
    const edits = fake.calls(EDIT).length;
    fake.failNext(CALLBACK, UNKNOWN_INTERACTION);
    fake.interaction({ kind: 'command', name: 'sync', userId: fake.guild.users.bob.id });
    await waitFor(() =>
      linesAfter(logs, from).find((l) => l.level === WARN && /\/sync: could not defer/.test(l.msg)),
    );
    expect(fake.calls(EDIT).length).toBe(edits);
    expect(linesAfter(logs, from).filter((l) => l.level >= ERROR)).toEqual([]);
  });

  it('counts every call by route and outcome, and /health stays 200 with discord degraded', async () => {
    const refused = await metricValue(
      app.url,
      /^ttfd_platform_api_calls_total\{platform="discord",route="\/interactions\/:id\/:token\/callback",outcome="client_error"\}/,
    );
    expect(refused).toBeGreaterThanOrEqual(2);
    const failed = await metricValue(
      app.url,
      /^ttfd_platform_api_calls_total\{platform="discord",route="\/webhooks\/:id\/:token\/messages\/@original",outcome="server_error"\}/,
    );
    expect(failed).toBeGreaterThanOrEqual(3);
    const ok = await metricValue(
      app.url,
      /^ttfd_platform_api_calls_total\{platform="discord".*outcome="ok"\}/,
    );
    expect(ok).toBeGreaterThan(0);

    const { http, body } = await health(app.url);
    expect(http).toBe(200);
    expect(body.status).toBe('degraded');
    expect(body.checks.postgres.status).toBe('ok');
    expect(body.checks.discord).toMatchObject({ status: 'degraded' });
    expect(body.checks.discord.errorRateLastMinute).toBeGreaterThan(0);
  });

  it('says once that Discord is throttling a route, and counts the 429s', async () => {
    const from = logs.lines.length;
    fake.failNext(CALLBACK, { status: 429, retryAfterSeconds: 0.05 }, 3);
    const handle = fake.interaction({
      kind: 'command',
      name: 'profile',
      userId: fake.guild.users.alice.id,
    });
    expect(await cardAnswered(handle)).toBe(true);
    const throttled = linesAfter(logs, from).filter(
      (l) =>
        l.level === WARN &&
        /discord is throttling \/interactions\/:id\/:token\/callback/.test(l.msg),
    );
    expect(throttled).toHaveLength(1);
    expect(
      await metricValue(
        app.url,
        /^ttfd_platform_api_calls_total\{platform="discord",route="\/interactions\/:id\/:token\/callback",outcome="rate_limited"\}/,
      ),
    ).toBe(3);
  });
});

describe('Telegram errors are counted and said once', () => {
  const ann: FakeUser = { id: 8101, first_name: 'Ann', language_code: 'en' };
  let fake: FakeTelegram;
  let app: TestApp;

  beforeAll(async () => {
    fake = await FakeTelegram.start();
    app = await startBotApp(fake, { logs });
  });

  afterAll(async () => {
    await app?.close();
    await fake?.stop();
  });

  it('a 429 is waited out, counted and said once, and the reply still arrives', async () => {
    const from = logs.lines.length;
    fake.failNext(
      'sendMessage',
      {
        error_code: 429,
        description: 'Too Many Requests: retry after 1',
        parameters: { retry_after: 1 },
      },
      2,
    );
    fake.sendText(ann, '/help');
    await waitFor(() => fake.messages(ann.id)[0], { what: 'the /help answer' });
    const throttled = linesAfter(logs, from).filter(
      (l) => l.level === WARN && /telegram is throttling sendMessage/.test(l.msg),
    );
    expect(throttled).toHaveLength(1);
    expect(
      await metricValue(
        app.url,
        /^ttfd_platform_api_calls_total\{platform="telegram",route="sendMessage",outcome="rate_limited"\}/,
      ),
    ).toBe(2);
    expect(
      await metricValue(
        app.url,
        /^ttfd_platform_api_calls_total\{platform="telegram",route="sendMessage",outcome="ok"\}/,
      ),
    ).toBeGreaterThanOrEqual(1);
    const { http, body } = await health(app.url);
    expect(http).toBe(200);
    expect(body.checks.telegram.errorRateLastMinute).toBeGreaterThan(0);
  });
});
