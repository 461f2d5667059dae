import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Markup, Telegraf, TelegramError } from 'telegraf';
import { message } from 'telegraf/filters';
import { postJson } from './http-post';
import { FakeTelegram, type FakeUser } from './index';

/**
 * Self-tests of the fake Telegram Bot API, driven by the real telegraf client over HTTP: if telegraf
 * is happy with the fake, the app's bot will be too.
 */

const alice: FakeUser = { id: 5001, first_name: 'Alice', username: 'alice', language_code: 'en' };
const bob: FakeUser = { id: 5002, first_name: 'Bob' };

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The TelegramError a promise rejects with (fails the test if it resolves or throws something else). */
async function telegramError(promise: Promise<unknown>): Promise<TelegramError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof TelegramError))
    throw new Error(`expected a TelegramError, got ${String(error)}`);
  return error;
}

interface RunningBot {
  bot: Telegraf;
  stop: () => Promise<void>;
}

describe('FakeTelegram', () => {
  let fake: FakeTelegram;
  let running: RunningBot[];

  /** Launches a polling bot and waits until it is long-polling the fake. */
  async function launchPolling(setup: (bot: Telegraf) => void): Promise<RunningBot> {
    const bot = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } });
    setup(bot);
    const pollsBefore = fake.calls('getUpdates').length;
    // launch() resolves only once the bot stops, so it is awaited in stop(), not here.
    const launched = bot.launch();
    await Promise.race([
      fake.waitForCall('getUpdates', () => fake.calls('getUpdates').length > pollsBefore),
      launched.then(() => {
        throw new Error('the bot stopped before polling');
      }),
    ]);
    const handle: RunningBot = {
      bot,
      stop: async () => {
        bot.stop('test finished');
        await launched;
      },
    };
    running.push(handle);
    return handle;
  }

  beforeEach(async () => {
    fake = await FakeTelegram.start();
    running = [];
  });

  afterEach(async () => {
    // Bots first: a bot polling a vanished server would retry on a 5 s timer and keep jest alive.
    for (const bot of running) await bot.stop();
    await fake.stop();
  });

  describe('with a polling bot', () => {
    it('delivers an injected /start and records the reply', async () => {
      const entitiesSeen: unknown[] = [];
      await launchPolling((bot) =>
        bot.start(async (ctx) => {
          entitiesSeen.push(ctx.message.entities);
          await ctx.reply(`Welcome, ${ctx.from.first_name}`);
        }),
      );

      const update = fake.sendText(alice, '/start');
      const reply = await fake.waitForMessage(alice.id, 'Welcome');

      expect(reply).toMatchObject({
        message_id: update.message.message_id + 1,
        text: 'Welcome, Alice',
        chat: { id: alice.id, type: 'private' },
        from: { id: fake.bot.id, is_bot: true },
      });
      expect(entitiesSeen).toEqual([[{ type: 'bot_command', offset: 0, length: 6 }]]);
      expect(fake.calls('sendMessage').map((call) => call.params)).toEqual([
        { chat_id: alice.id, text: 'Welcome, Alice' },
      ]);
      expect(fake.calls('getMe')).toHaveLength(1);
      expect(fake.calls('deleteWebhook')).toHaveLength(1);
    });

    it('stores HTML replies as the text a user sees, with entities', async () => {
      await launchPolling((bot) =>
        bot.on(message('text'), (ctx) =>
          ctx.replyWithHTML(`<b>Echo:</b> ${escapeHtml(ctx.message.text)}`),
        ),
      );

      fake.sendText(bob, 'a < b & c');
      const reply = await fake.waitForMessage(bob.id, /^Echo/);

      expect(reply.text).toBe('Echo: a < b & c');
      expect(reply.entities).toEqual([{ type: 'bold', offset: 0, length: 5 }]);
    });

    it('lets a button press reach the bot, which answers it and edits the message', async () => {
      await launchPolling((bot) => {
        bot.command('daily', (ctx) =>
          ctx.reply(
            'Claim your daily bonus',
            Markup.inlineKeyboard([Markup.button.callback('Claim', 'claim:7')]),
          ),
        );
        bot.action(/^claim:(\d+)$/, async (ctx) => {
          await ctx.answerCbQuery(`+${ctx.match[1]} XP`);
          await ctx.editMessageText('Claimed');
        });
      });

      fake.sendText(alice, '/daily');
      const offer = await fake.waitForMessage(alice.id, 'Claim your daily bonus');
      expect(offer.reply_markup).toEqual({
        inline_keyboard: [[{ text: 'Claim', callback_data: 'claim:7' }]],
      });

      const press = fake.pressButton(alice, offer, 'claim:7');
      await fake.waitForMessage(alice.id, 'Claimed');

      expect(fake.answeredCallbacks()).toEqual([
        expect.objectContaining({ callback_query_id: press.callback_query.id, text: '+7 XP' }),
      ]);
      const edited = fake.message(alice.id, offer.message_id)!;
      expect(edited.text).toBe('Claimed');
      expect(edited.reply_markup).toBeUndefined();
      expect(edited.edit_date).toEqual(expect.any(Number));
      expect(() => fake.pressButton(alice, offer, 'claim:7')).toThrow(
        /no button with callback_data/,
      );
    });

    it('re-delivers an update_id already handed out, for dedupe tests', async () => {
      const seen: number[] = [];
      await launchPolling((bot) =>
        bot.on(message('text'), (ctx) => {
          seen.push(ctx.update.update_id);
        }),
      );

      const first = fake.sendText(alice, 'once');
      await fake.waitForCall('getUpdates', (call) => call.params.offset === first.update_id + 1);
      fake.pushUpdate(first);
      fake.sendText(alice, 'next');

      await fake.waitForCall('getUpdates', (call) => call.params.offset === first.update_id + 2);
      expect(seen).toEqual([first.update_id, first.update_id, first.update_id + 1]);
    });
  });

  describe('the Bot API methods', () => {
    it('edits, refuses identical or unknown edits, and deletes like the real API', async () => {
      const { telegram } = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } });
      fake.addChat({ id: alice.id, type: 'private', first_name: alice.first_name });
      const keyboard = Markup.inlineKeyboard([Markup.button.callback('Yes', 'yes')]);

      const sent = await telegram.sendMessage(alice.id, 'Link your Discord?', keyboard);
      await telegram.editMessageText(alice.id, sent.message_id, undefined, 'Linked!', keyboard);
      expect(fake.message(alice.id, sent.message_id)).toMatchObject({
        text: 'Linked!',
        reply_markup: { inline_keyboard: [[{ text: 'Yes', callback_data: 'yes' }]] },
      });

      const same = await telegramError(
        telegram.editMessageText(alice.id, sent.message_id, undefined, 'Linked!', keyboard),
      );
      expect(same.code).toBe(400);
      expect(same.description).toMatch(/^Bad Request: message is not modified: /);

      await telegram.editMessageReplyMarkup(alice.id, sent.message_id, undefined, undefined);
      expect(fake.message(alice.id, sent.message_id)?.reply_markup).toBeUndefined();

      const unknown = await telegramError(telegram.editMessageText(alice.id, 999, undefined, 'x'));
      expect(unknown.description).toBe('Bad Request: message to edit not found');

      await telegram.deleteMessage(alice.id, sent.message_id);
      expect(fake.messages(alice.id)).toEqual([]);
      const gone = await telegramError(telegram.deleteMessage(alice.id, sent.message_id));
      expect(gone.description).toBe('Bad Request: message to delete not found');
    });

    it('validates sendMessage like the real API', async () => {
      const { telegram } = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } });
      fake.addChat({ id: alice.id, type: 'private', first_name: alice.first_name });

      const empty = await telegramError(telegram.sendMessage(alice.id, ''));
      expect([empty.code, empty.description]).toEqual([400, 'Bad Request: message text is empty']);
      const stranger = await telegramError(telegram.sendMessage(424242, 'hi'));
      expect(stranger.description).toBe('Bad Request: chat not found');
      const badHtml = await telegramError(
        telegram.sendMessage(alice.id, '<b>rank', { parse_mode: 'HTML' }),
      );
      expect(badHtml.description).toMatch(/^Bad Request: can't parse entities: /);
      const dot = await telegramError(
        telegram.sendMessage(alice.id, 'Level 2.', { parse_mode: 'MarkdownV2' }),
      );
      expect(dot.description).toBe(
        "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'",
      );
      const longData = await telegramError(
        telegram.sendMessage(
          alice.id,
          'x',
          Markup.inlineKeyboard([Markup.button.callback('x', 'd'.repeat(65))]),
        ),
      );
      expect(longData.description).toBe('Bad Request: BUTTON_DATA_INVALID');

      fake.setBlocked(alice.id);
      const blocked = await telegramError(telegram.sendMessage(alice.id, 'hi'));
      expect([blocked.code, blocked.description]).toEqual([
        403,
        'Forbidden: bot was blocked by the user',
      ]);

      // Bob never wrote to the bot: the fake, like Telegram, does not know his chat yet.
      expect((await telegramError(telegram.sendMessage(bob.id, 'ok'))).description).toBe(
        'Bad Request: chat not found',
      );
      fake.sendText(bob, 'hello');
      const quoted = await telegram.sendMessage(bob.id, '*hi*', {
        parse_mode: 'MarkdownV2',
        reply_parameters: { message_id: 1 },
      });
      expect(quoted).toMatchObject({
        text: 'hi',
        entities: [{ type: 'bold', offset: 0, length: 2 }],
        reply_to_message: { text: 'hello' },
      });
      await expect(telegram.sendChatAction(bob.id, 'typing')).resolves.toBe(true);
      await expect(telegram.getChat(bob.id)).resolves.toMatchObject({
        id: bob.id,
        type: 'private',
        first_name: 'Bob',
      });
    });

    it('keeps commands per scope and language', async () => {
      const { telegram } = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } });
      await telegram.setMyCommands([{ command: 'start', description: 'Start' }]);
      await telegram.setMyCommands([{ command: 'rank', description: 'Ваш ранг' }], {
        language_code: 'ru',
      });

      await expect(telegram.getMyCommands()).resolves.toEqual([
        { command: 'start', description: 'Start' },
      ]);
      expect(fake.commands({ languageCode: 'ru' })).toEqual([
        { command: 'rank', description: 'Ваш ранг' },
      ]);
      const invalid = await telegramError(
        telegram.setMyCommands([{ command: 'Bad-Name', description: 'x' }]),
      );
      expect(invalid.description).toBe('Bad Request: BOT_COMMAND_INVALID');

      await telegram.deleteMyCommands({ language_code: 'ru' });
      await expect(telegram.getMyCommands({ language_code: 'ru' })).resolves.toEqual([]);
    });

    it('fails the next calls with the exact 429 and 500 answers it was given', async () => {
      const { telegram } = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } });
      fake.addChat({ id: alice.id, type: 'private', first_name: alice.first_name });
      fake.failNext('sendMessage', {
        error_code: 429,
        description: 'Too Many Requests: retry after 1',
        parameters: { retry_after: 1 },
      });
      fake.failNext('sendMessage', { error_code: 500, description: 'Internal Server Error' });

      const flood = await telegramError(telegram.sendMessage(alice.id, 'hi'));
      expect(flood.code).toBe(429);
      expect(flood.description).toBe('Too Many Requests: retry after 1');
      expect(flood.parameters).toEqual({ retry_after: 1 });
      const crash = await telegramError(telegram.sendMessage(alice.id, 'hi'));
      expect(crash.code).toBe(500);

      await telegram.sendMessage(alice.id, 'hi');
      expect(fake.messages(alice.id).map((sent) => sent.text)).toEqual(['hi']);
      expect(fake.calls('sendMessage').map((call) => call.outcome?.ok)).toEqual([
        false,
        false,
        true,
      ]);
    });

    it('answers every call with a storm of 500, 429 and hangs until it ends, sparing getUpdates', async () => {
      const { telegram } = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } });
      fake.addChat({ id: alice.id, type: 'private', first_name: alice.first_name });
      fake.beginStorm({ serverError: 1, tooManyRequests: 1, hang: 1 }, { retryAfterSeconds: 2 });

      expect((await telegramError(telegram.sendMessage(alice.id, 'a'))).code).toBe(500);
      const flood = await telegramError(telegram.getMe());
      expect(flood.code).toBe(429);
      expect(flood.parameters).toEqual({ retry_after: 2 });
      // The third call hangs: no answer until the storm ends, then the connection drops.
      const hung = telegram.sendMessage(alice.id, 'b').then(
        () => 'answered',
        () => 'dropped',
      );
      await fake.waitForCall('sendMessage', (call) => call.params.text === 'b');
      await expect(telegram.getUpdates(0, 100, 0, undefined)).resolves.toEqual([]);
      fake.endStorm();
      expect(await hung).toBe('dropped');
      expect(fake.stormHits()).toEqual({ serverError: 1, tooManyRequests: 1, hang: 1 });

      await telegram.sendMessage(alice.id, 'c');
      expect(fake.messages(alice.id).map((sent) => sent.text)).toEqual(['c']);
      expect(fake.calls('sendMessage').map((call) => call.outcome?.ok)).toEqual([
        false,
        undefined, // held, never answered
        true,
      ]);
    });

    it('holds getUpdates for its timeout, and answers early when an update arrives', async () => {
      const { telegram } = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } });

      const started = Date.now();
      await expect(telegram.getUpdates(1, 100, 0, undefined)).resolves.toEqual([]);
      const held = Date.now() - started;
      expect(held).toBeGreaterThanOrEqual(900);
      expect(held).toBeLessThan(3000);

      const woken = Date.now();
      const poll = telegram.getUpdates(30, 100, 0, undefined);
      await fake.waitForCall('getUpdates', (call) => call.params.timeout === 30);
      const update = fake.sendText(alice, 'wake up');
      await expect(poll).resolves.toEqual([update]);
      expect(Date.now() - woken).toBeLessThan(3000);

      // Confirmed by a higher offset, the update is gone; without it, it would come again.
      await expect(telegram.getUpdates(0, 100, update.update_id + 1, undefined)).resolves.toEqual(
        [],
      );
      expect(fake.pendingUpdates()).toEqual([]);
    });

    it('answers 401 to an unknown token, 404 to an unknown method, 400 to multipart', async () => {
      const stranger = new Telegraf('999:not-the-token', { telegram: { apiRoot: fake.apiRoot } });
      const denied = await telegramError(stranger.telegram.getMe());
      expect([denied.code, denied.description]).toEqual([401, 'Unauthorized']);

      const raw = await postJson(`${fake.apiRoot}/bot999:nope/getMe`, {});
      expect(raw.status).toBe(401);
      expect(JSON.parse(raw.body)).toEqual({
        ok: false,
        error_code: 401,
        description: 'Unauthorized',
      });
      const unknown = await postJson(`${fake.apiRoot}/bot${fake.token}/sendUnicorn`, {});
      expect(unknown.status).toBe(404);
      expect(JSON.parse(unknown.body)).toEqual({
        ok: false,
        error_code: 404,
        description: 'Not Found: method not found',
      });

      const { telegram } = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } });
      const upload = await telegramError(
        telegram.sendPhoto(alice.id, { source: Buffer.from('png') }),
      );
      expect(upload.code).toBe(400);
      expect(upload.description).toMatch(/multipart\/form-data is not supported/);
    });
  });

  it('with acceptUploads, takes sendPhoto and serves profile photos, getFile and downloads', async () => {
    const own = await FakeTelegram.start({ acceptUploads: true });
    try {
      const { telegram } = new Telegraf(own.token, { telegram: { apiRoot: own.apiRoot } });
      await telegram.getMe();
      own.sendText(alice, 'hi'); // makes the private chat known
      const sent = await telegram.sendPhoto(
        alice.id,
        { source: Buffer.from('png bytes'), filename: 'card.png' },
        { caption: 'Профиль' },
      );
      expect(sent.caption).toBe('Профиль');
      expect(own.photos(alice.id)).toMatchObject([
        { filename: 'card.png', caption: 'Профиль', messageId: sent.message_id },
      ]);
      expect(Buffer.from(own.photos(alice.id)[0].bytes).toString()).toBe('png bytes');
      // Sent again by its file_id: the same picture, no upload; an unknown id is refused.
      const fileId = sent.photo.at(-1)!.file_id;
      // nextCall hears the call as it is answered.
      const heard = own.nextCall((call) => call.method === 'sendPhoto');
      const again = await telegram.sendPhoto(alice.id, fileId, { caption: 'again' });
      expect(await heard).toMatchObject({ params: { photo: fileId }, outcome: { ok: true } });
      expect(again.photo.at(-1)!.file_id).toBe(fileId);
      expect(own.photos(alice.id)[1]).toMatchObject({ filename: 'card.png', byFileId: fileId });
      expect(Buffer.from(own.photos(alice.id)[1].bytes).toString()).toBe('png bytes');
      const unknown = await telegramError(telegram.sendPhoto(alice.id, 'no-such-file'));
      expect(unknown.description).toMatch(/wrong file identifier/);
      const long = await telegramError(
        telegram.sendPhoto(alice.id, { source: Buffer.from('x') }, { caption: 'x'.repeat(1025) }),
      );
      expect(long.description).toMatch(/caption is too long/);

      expect(await telegram.getUserProfilePhotos(bob.id)).toEqual({ total_count: 0, photos: [] });
      own.setProfilePhoto(alice.id, Buffer.from('face'));
      const { photos } = await telegram.getUserProfilePhotos(alice.id, 0, 1);
      expect(photos[0].map((size) => size.width)).toEqual([160, 320, 640]);
      const file = await telegram.getFile(photos[0][1].file_id);
      const url = `${own.apiRoot}/file/bot${own.token}/${file.file_path}`;
      expect(Buffer.from(await (await fetch(url)).arrayBuffer()).toString()).toBe('face');
      expect(own.fileDownloads()).toEqual([file.file_path]);
      expect((await fetch(`${own.apiRoot}/file/botwrong/${file.file_path}`)).status).toBe(404);
    } finally {
      await own.stop();
    }
  });

  it('stop() releases a held long poll at once', async () => {
    const own = await FakeTelegram.start();
    const { telegram } = new Telegraf(own.token, { telegram: { apiRoot: own.apiRoot } });
    const poll = telegram.getUpdates(50, 100, 0, undefined);
    await own.waitForCall('getUpdates');

    const started = Date.now();
    await own.stop();
    await expect(poll).resolves.toEqual([]);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  describe('in webhook mode', () => {
    const SECRET = 'wh-secret_1';
    let hookServer: Server;
    let hookUrl: string;
    /** What the webhook server does with each request; set per test. */
    let onHook: (request: IncomingMessage, response: ServerResponse) => void;
    let secretsSeen: (string | undefined)[];

    beforeEach(async () => {
      secretsSeen = [];
      hookServer = createServer((request, response) => {
        const header = request.headers['x-telegram-bot-api-secret-token'];
        secretsSeen.push(typeof header === 'string' ? header : undefined);
        onHook(request, response);
      });
      await new Promise<void>((resolve) => hookServer.listen(0, '127.0.0.1', resolve));
      const address = hookServer.address();
      if (address === null || typeof address === 'string')
        throw new Error('hook server has no port');
      hookUrl = `http://127.0.0.1:${address.port}`;
      // telegraf's createWebhook registers https://<domain><path>; the fake posts to our http server.
      await fake.stop();
      fake = await FakeTelegram.start({
        webhookRetryDelayMs: 20,
        rewriteWebhookUrl: (url) => url.replace('https://bot.example.test', hookUrl),
      });
    });

    afterEach(async () => {
      hookServer.closeAllConnections();
      await new Promise<void>((resolve) => hookServer.close(() => resolve()));
    });

    /** A telegraf bot behind the webhook, set up the way a NestJS app does it (createWebhook). */
    async function webhookBot(setup: (bot: Telegraf) => void): Promise<Telegraf> {
      const bot = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } });
      setup(bot);
      const handle = await bot.createWebhook({
        domain: 'bot.example.test',
        path: '/hook',
        secret_token: SECRET,
      });
      onHook = (request, response) =>
        void handle(request, response, () => {
          response.statusCode = 401;
          response.end();
        });
      return bot;
    }

    it('posts injected updates with the secret header; the bot answers through the API and the reply body', async () => {
      await webhookBot((bot) => {
        bot.on(message('text'), (ctx) =>
          ctx.reply(
            `hook: ${ctx.message.text}`,
            Markup.inlineKeyboard([Markup.button.callback('Ping', 'ping')]),
          ),
        );
        bot.action('ping', (ctx) => ctx.answerCbQuery('pong'));
      });
      const { telegram } = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } });
      await expect(telegram.getWebhookInfo()).resolves.toMatchObject({
        url: 'https://bot.example.test/hook',
      });

      const update = fake.sendText(alice, 'hello hook');
      const reply = await fake.waitForMessage(alice.id, 'hook: hello hook');
      expect(secretsSeen).toEqual([SECRET]);
      await fake.waitForWebhookIdle();
      expect(fake.webhookDeliveries()).toEqual([
        expect.objectContaining({
          update,
          state: 'delivered',
          attempts: [expect.objectContaining({ status: 200 })],
        }),
      ]);

      // telegraf answers callback queries in the webhook response body; the fake executes that call.
      fake.pressButton(alice, reply, 'ping');
      const answer = await fake.waitForCall('answerCallbackQuery');
      expect(answer.viaWebhookResponse).toBe(true);
      expect(fake.answeredCallbacks()).toEqual([expect.objectContaining({ text: 'pong' })]);
    });

    it('lets a test post any update with any secret and see the status', async () => {
      await webhookBot(() => undefined);
      const update = {
        update_id: 77,
        message: { message_id: 1, date: 0, chat: { id: 1, type: 'private' }, text: 'x' },
      };

      await expect(fake.postUpdate(update, { secretToken: 'wrong' })).resolves.toMatchObject({
        status: 401,
      });
      await expect(fake.postUpdate(update)).resolves.toMatchObject({ status: 401 });
      await expect(fake.postUpdate(update, { secretToken: SECRET })).resolves.toMatchObject({
        status: 200,
      });
    });

    it('retries a failing webhook a bounded number of times and reports the last error', async () => {
      let failures = 1;
      await webhookBot((bot) => bot.on(message('text'), (ctx) => ctx.reply('got it')));
      const deliver = onHook;
      onHook = (request, response) => {
        if (failures-- > 0) {
          response.writeHead(500).end();
          request.resume();
          return;
        }
        deliver(request, response);
      };

      fake.sendText(alice, 'flaky');
      await fake.waitForMessage(alice.id, 'got it');
      await fake.waitForWebhookIdle();
      expect(fake.webhookDeliveries()[0].attempts.map((attempt) => attempt.status)).toEqual([
        500, 200,
      ]);

      failures = Infinity;
      fake.sendText(alice, 'lost');
      await fake.waitForWebhookIdle();
      const lost = fake.webhookDeliveries()[1];
      expect(lost.state).toBe('failed');
      expect(lost.attempts).toHaveLength(3);
      const { telegram } = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } });
      await expect(telegram.getWebhookInfo()).resolves.toMatchObject({
        pending_update_count: 0,
        last_error_message: 'Wrong response from the webhook: 500 Internal Server Error',
      });
    });

    it('refuses getUpdates with 409 while a webhook is set', async () => {
      await webhookBot(() => undefined);
      const { telegram } = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } });

      const conflict = await telegramError(telegram.getUpdates(0, 100, 0, undefined));
      expect(conflict.code).toBe(409);
      expect(conflict.description).toMatch(
        /^Conflict: can't use getUpdates method while webhook is active/,
      );

      await telegram.deleteWebhook();
      await expect(telegram.getUpdates(0, 100, 0, undefined)).resolves.toEqual([]);
    });
  });
});
