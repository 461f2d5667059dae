import { FakeTelegram, FakeUser } from '../fakes/telegram';
import { TestApp, waitFor } from '../support/test-app';
import { accountOf, startBotApp } from './bot-app';

const ann: FakeUser = { id: 7001, first_name: 'Ann', language_code: 'en' };
const ivan: FakeUser = { id: 7002, first_name: 'Иван', language_code: 'ru' };

describe('Telegram transport (long polling)', () => {
  let fake: FakeTelegram;
  let app: TestApp;

  beforeAll(async () => {
    fake = await FakeTelegram.start();
    // Cosmetic calls may fail at start: logged, never fatal.
    fake.failNext('setMyCommands', { error_code: 500, description: 'Internal Server Error' });
    app = await startBotApp(fake);
  });

  afterAll(async () => {
    await app?.close(); // the bot stops polling before the fake goes away
    await fake?.stop();
  });

  it('greets a new player on /start, creates the account and shows the menu', async () => {
    fake.sendText(ann, '/start');
    await fake.waitForMessage(ann.id, /Hi, Ann!/);
    // A reply keyboard is not echoed in the message (as on Telegram): check what the bot sent.
    const sent = fake
      .calls('sendMessage')
      .find((call) => String(call.params.text).startsWith('Hi, Ann'));
    expect(JSON.stringify(sent?.params.reply_markup)).toContain('"/profile"');
    expect(await accountOf(app, ann.id)).toBeDefined();

    fake.sendText(ann, '/start');
    await fake.waitForMessage(ann.id, /Welcome back, Ann!/);
  });

  it('speaks Russian by default and answers /help', async () => {
    fake.sendText(ivan, '/help');
    const help = await fake.waitForMessage(ivan.id, /Что я умею/);
    expect(help.text).toContain('/profile');
    expect(help.text).not.toContain('/stats');
  });

  it('answers unknown commands and stray text clearly', async () => {
    fake.sendText(ann, '/dance');
    await fake.waitForMessage(ann.id, "I don't know the command /dance");
    fake.sendText(ann, 'hello there');
    await fake.waitForMessage(ann.id, "I didn't get that");
  });

  it('publishes the command menu in Russian and English despite a failed first call', async () => {
    await waitFor(() => fake.commands({ languageCode: 'en' }).length > 0, { what: 'en commands' });
    expect(fake.commands({ languageCode: 'en' }).map((c) => c.command)).toEqual([
      'start',
      'help',
      'profile',
      'games',
      'daily',
      'top',
      'settings',
      'link',
      'unlink',
    ]);
    expect(fake.commands({ languageCode: 'ru' })[0].description).toBe('Начать и открыть меню');
  });

  it('handles a re-delivered update once', async () => {
    const user: FakeUser = { id: 7003, first_name: 'Rita', language_code: 'en' };
    const first = fake.sendText(user, '/help');
    await fake.waitForMessage(user.id, /What I can do/);
    fake.pushUpdate({ update_id: first.update_id, message: first.message });
    fake.sendText(user, '/nope'); // a marker: once answered, the re-delivery was handled too
    await fake.waitForMessage(user.id, '/nope');
    expect(fake.messages(user.id).filter((m) => m.text.includes('What I can do'))).toHaveLength(1);
  });

  it('waits out a 429 with retry_after and still delivers the reply', async () => {
    const user: FakeUser = { id: 7004, first_name: 'Tom', language_code: 'en' };
    fake.failNext('sendMessage', {
      error_code: 429,
      description: 'Too Many Requests: retry after 1',
      parameters: { retry_after: 1 },
    });
    fake.sendText(user, '/help');
    await fake.waitForMessage(user.id, /What I can do/);
    const attempts = fake.calls('sendMessage').filter((call) => call.params.chat_id === user.id);
    expect(attempts).toHaveLength(2);
    expect(attempts[0].outcome).toMatchObject({ ok: false, error: { error_code: 429 } });
    expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(950);
    expect(fake.messages(user.id)).toHaveLength(1);
  });

  it('refuses a forged button and changes nothing', async () => {
    fake.sendText(ann, '/help');
    const help = await fake.waitForMessage(ann.id, /What I can do/);
    const before = fake.messages(ann.id).length;
    fake.pressButton(ann, help, '1:d:AAAAAAAAAAA', { force: true });
    const answered = await waitFor(() =>
      fake.answeredCallbacks().find((a) => a.text?.includes('not for you')),
    );
    expect(answered.show_alert).toBe(true);
    expect(fake.messages(ann.id)).toHaveLength(before);
  });

  it('reports readiness of the bot', async () => {
    const body = await waitFor(async () => {
      const response = await fetch(`${app.url}/health`);
      const json = (await response.json()) as { checks: Record<string, { status: string }> };
      return json.checks.telegram?.status === 'ok' ? json : undefined;
    });
    expect(body.checks.telegram).toMatchObject({ status: 'ok' });
  });
});

describe('Telegram transport (webhook)', () => {
  const secret = 'webhook-secret-for-tests-0123';
  let fake: FakeTelegram;
  let app: TestApp | undefined;

  beforeAll(async () => {
    fake = await FakeTelegram.start({
      // telegraf would register https://bot.example.test/...; deliver to the app under test.
      rewriteWebhookUrl: (url) => url.replace('https://bot.example.test', app!.url),
    });
    app = await startBotApp(fake, {
      env: { TELEGRAM_WEBHOOK_URL: 'https://bot.example.test', TELEGRAM_WEBHOOK_SECRET: secret },
    });
    await fake.waitForCall('setWebhook');
  });

  afterAll(async () => {
    await app?.close(); // no "Bot is not running!": closing is clean in webhook mode too
    await fake?.stop();
  });

  it('registers the webhook with its secret and never polls', async () => {
    const [call] = fake.calls('setWebhook');
    expect(call.params).toMatchObject({
      url: 'https://bot.example.test/telegram/webhook',
      secret_token: secret,
    });
    expect(fake.calls('getUpdates')).toHaveLength(0);
  });

  it('handles updates delivered to the webhook', async () => {
    fake.sendText(ann, '/start');
    await fake.waitForMessage(ann.id, /Hi, Ann!/);
    expect(await accountOf(app!, ann.id)).toBeDefined();
  });

  it('answers 401 to a wrong or missing secret and processes nothing', async () => {
    const user: FakeUser = { id: 7101, first_name: 'Eve', language_code: 'en' };
    const update = {
      update_id: 990001,
      message: {
        message_id: 1,
        date: 1,
        from: { ...user, is_bot: false },
        chat: { id: user.id, type: 'private', first_name: user.first_name },
        text: '/start',
        entities: [{ type: 'bot_command', offset: 0, length: 6 }],
      },
    };
    expect((await fake.postUpdate(update, { secretToken: 'wrong-secret-0000000000' })).status).toBe(
      401,
    );
    expect((await fake.postUpdate(update)).status).toBe(401);
    expect((await fake.postUpdate(update, { secretToken: `${secret}x` })).status).toBe(401);
    expect(await accountOf(app!, user.id)).toBeUndefined();
    expect(fake.messages(user.id)).toHaveLength(0);

    // The same update with the right secret is accepted: the 401s did not mark it as seen.
    expect((await fake.postUpdate(update, { secretToken: secret })).status).toBe(200);
    expect(await accountOf(app!, user.id)).toBeDefined();
  });
});

describe('Telegram off', () => {
  it('boots without a bot token, with no Telegram readiness check', async () => {
    const { startTestApp } = await import('../support/test-app');
    const app = await startTestApp({ env: { APP_ROLES: undefined } });
    try {
      const body = (await (await fetch(`${app.url}/health`)).json()) as { checks: object };
      expect(Object.keys(body.checks)).not.toContain('telegram');
      expect(app.config.hasRole('telegram')).toBe(false);
    } finally {
      await app.close();
    }
  });
});
