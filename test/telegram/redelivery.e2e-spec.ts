import { Redis } from 'ioredis';
// eslint-disable-next-line no-restricted-imports -- the drills' own-Redis helper is a test tool, not a library
import { OwnRedis } from '../../bench/lib/redis-server';
import { REDIS } from '@ttfd/database';
import { GuessService, GuessGameView } from '@ttfd/games';
import { FakeTelegram, FakeUser } from '../fakes/telegram';
import { TestApp, waitFor } from '../support/test-app';
import { accountOf, query, startBotApp } from './bot-app';

const WEBHOOK_SECRET = 'webhook-secret-for-redelivery-01';

/** Runs once, when the next guess game is started: the test's way to be "during an update". */
let duringGuessStart: (() => Promise<void>) | undefined;

/**
 * The real GuessService, with a hook at the moment a game is started: after the update was
 * claimed and before its last Redis write (the `tg:guess` conversation state).
 */
class GuessServiceWithHook extends GuessService {
  override async start(accountId: string): Promise<GuessGameView> {
    const hook = duringGuessStart;
    duringGuessStart = undefined;
    await hook?.();
    return super.start(accountId);
  }
}

function guessButtonOf(message: { reply_markup?: unknown }): string {
  const markup = message.reply_markup as
    { inline_keyboard?: { text: string; callback_data?: string }[][] } | undefined;
  const button = markup?.inline_keyboard?.flat().find((b) => b.text.includes('Guess'));
  if (!button?.callback_data) throw new Error('no guess button on /games');
  return button.callback_data;
}

describe.each(['webhook', 'polling'] as const)(
  'Telegram: Redis dies during an update (%s)',
  (mode) => {
    const user: FakeUser = { id: 9301, first_name: 'Rey', language_code: 'en' };
    let redis: OwnRedis;
    let fake: FakeTelegram;
    let app: TestApp | undefined;

    beforeAll(async () => {
      // A Redis of this test's own: stopping the shared one would break everyone else's tests.
      redis = await OwnRedis.start();
      fake = await FakeTelegram.start({
        rewriteWebhookUrl: (url) => url.replace('https://bot.example.test', app!.url),
        // Telegram keeps redelivering a refused update; so does the fake, for long enough.
        webhookMaxAttempts: 200,
        webhookRetryDelayMs: 100,
      });
      app = await startBotApp(fake, {
        env: {
          REDIS_URL: redis.url,
          // No queue workers in this process: BullMQ's Worker.close() can hang for minutes after
          // its Redis restarted (seen here), which is not what this test is about.
          APP_ROLES: 'api,telegram',
          ...(mode === 'webhook'
            ? {
                TELEGRAM_WEBHOOK_URL: 'https://bot.example.test',
                TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
              }
            : {}),
        },
        override: (builder) =>
          builder.overrideProvider(GuessService).useClass(GuessServiceWithHook),
      });
      await fake.waitForCall(mode === 'webhook' ? 'setWebhook' : 'getUpdates');
    });

    afterAll(async () => {
      await app?.close();
      await fake?.stop();
      await redis?.stop();
    });

    it('refuses the update while Redis is down and handles its redelivery exactly once', async () => {
      fake.sendText(user, '/games');
      const games = await fake.waitForMessage(user.id, /^What shall we play/);

      const appRedis = app!.app.get<Redis>(REDIS);
      let redisDownAt: number | undefined;
      duringGuessStart = async () => {
        await redis.stop();
        // The app's client has seen the connection go: its next command fails.
        await waitFor(() => appRedis.status !== 'ready', { what: 'the app to lose Redis' });
        redisDownAt = Date.now();
      };
      const press = fake.pressButton(user, games, guessButtonOf(games));

      // Refused: a 503 to Telegram (webhook) or an offset held at the update (polling).
      if (mode === 'webhook') {
        await waitFor(() =>
          fake
            .webhookDeliveries()
            .find((d) => d.update.update_id === press.update_id)
            ?.attempts.some((attempt) => attempt.status === 503),
        );
      } else {
        // The next poll asks for the same update again instead of confirming it.
        await waitFor(() =>
          fake
            .calls('getUpdates')
            .some(
              (call) =>
                redisDownAt !== undefined &&
                call.at > redisDownAt &&
                Number(call.params.offset) === press.update_id,
            ),
        );
      }
      expect(fake.messages(user.id).filter((m) => m.text.startsWith("I'm thinking"))).toHaveLength(
        0,
      );

      await redis.startProcess();
      const started = await fake.waitForMessage(user.id, /^I'm thinking of a number/, 30_000);
      expect(started.text).toContain('Tries: 7');

      // Exactly once: one game, one answer, one answered button.
      const account = await accountOf(app!, user.id);
      const sessions = await query<{ n: string }>(
        app!,
        `SELECT count(*) AS n FROM game_sessions WHERE account_id = $1 AND game = 'guess'`,
        [account],
      );
      expect(Number(sessions[0].n)).toBe(1);
      const answered = fake
        .answeredCallbacks()
        .filter((a) => a.callback_query_id === press.callback_query.id);
      expect(answered).toHaveLength(1);
      // The conversation state was written by the redelivery: typed numbers go to the game.
      fake.sendText(user, '50');
      await fake.waitForMessage(user.id, /^(Higher|Lower)! Tries left: 6|You got it/);
      expect(fake.messages(user.id).filter((m) => m.text.startsWith("I'm thinking"))).toHaveLength(
        1,
      );
      expect(fake.messages(user.id).some((m) => m.text.includes('Something went wrong'))).toBe(
        false,
      );
    });
  },
);
