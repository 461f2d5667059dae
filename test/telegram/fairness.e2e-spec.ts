import type { Message } from 'telegraf/types';
import { FakeTelegram, FakeUser, RecordedCall } from '../fakes/telegram';
import { TestApp, waitFor } from '../support/test-app';
import { accountOf, query, startBotApp } from './bot-app';

const WEBHOOK_SECRET = 'webhook-secret-for-fairness-0123';
const LOAD_MS = 10_000;
const FLOOD_COMMANDS = 200;
// /games first: the flooder presses the wheel three times before the command limit mutes them.
const FLOOD_CYCLE = ['/games', '/daily', '/profile', '/help', '/top'];

/** One command (or button press) of a well-behaved player and how to recognise its answer. */
interface Step {
  send: 'text' | 'spin';
  text?: string;
  answer: RegExp;
}

/** Ten seconds of one command a second: every reply is recognisable by its text. */
const PLAYER_SCRIPT: Step[] = [
  { send: 'text', text: '/help', answer: /^What I can do/ },
  { send: 'text', text: '/games', answer: /^What shall we play\?/ },
  { send: 'spin', answer: /wheel (stopped|was already spun)/ },
  { send: 'text', text: '/profile', answer: /^👤/ },
  { send: 'text', text: '/daily', answer: /^🎁 Daily reward|reward is already claimed/ },
  { send: 'text', text: '/top', answer: /^🏆 Season top/ },
  { send: 'spin', answer: /wheel (stopped|was already spun)/ },
  { send: 'text', text: '/daily', answer: /^🎁 Daily reward|reward is already claimed/ },
  { send: 'text', text: '/help', answer: /^What I can do/ },
  { send: 'text', text: '/profile', answer: /^👤/ },
];

const flooder: FakeUser = { id: 8100, first_name: 'Flo', language_code: 'en' };
const players: FakeUser[] = Array.from({ length: 10 }, (_, index) => ({
  id: 8200 + index,
  first_name: `Player${index}`,
  language_code: 'en',
}));

interface Sample {
  user: number;
  step: number;
  sentAt: number;
}

/** Runs `work` at `offsetMs` after `start` (absolute offsets, so lag never accumulates). */
function at(start: number, offsetMs: number, work: () => void): Promise<void> {
  return new Promise((resolve, reject) => {
    setTimeout(
      () => {
        try {
          work();
          resolve();
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      },
      Math.max(0, start + offsetMs - Date.now()),
    );
  });
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(sorted.length * p) - 1)];
}

function sentTexts(fake: FakeTelegram, chatId: number): RecordedCall[] {
  return fake
    .calls('sendMessage')
    .filter((call) => Number(call.params.chat_id) === chatId && call.outcome?.ok === true);
}

function spinButtonOf(message: Message.TextMessage): string {
  const keyboard =
    message.reply_markup && 'inline_keyboard' in message.reply_markup
      ? message.reply_markup.inline_keyboard
      : [];
  const button = keyboard.flat().find((b) => b.text.includes('Wheel'));
  if (!button || !('callback_data' in button)) throw new Error('no wheel button on /games');
  return button.callback_data;
}

describe.each(['polling', 'webhook'] as const)(
  'Telegram fairness under one player flood (%s)',
  (mode) => {
    let fake: FakeTelegram;
    let app: TestApp | undefined;

    beforeAll(async () => {
      fake = await FakeTelegram.start({
        rewriteWebhookUrl: (url) => url.replace('https://bot.example.test', app!.url),
        // As Telegram does (max_connections defaults to 40); each chat still in order.
        webhookMaxConnections: 40,
      });
      app = await startBotApp(fake, {
        env: {
          // Telegram's real limits, not the relaxed ones other specs use.
          TELEGRAM_SEND_PER_CHAT_PER_SECOND: '1',
          TELEGRAM_SEND_PER_SECOND: '30',
          TELEGRAM_FLOOD_LIMIT: '20',
          TELEGRAM_FLOOD_WINDOW_SECONDS: '10',
          ...(mode === 'webhook'
            ? {
                TELEGRAM_WEBHOOK_URL: 'https://bot.example.test',
                TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
              }
            : {}),
        },
      });
      await fake.waitForCall(mode === 'webhook' ? 'setWebhook' : 'getUpdates');
    });

    afterAll(async () => {
      await app?.close();
      await fake?.stop();
    });

    it('answers ten players within 1.5 s (p99) while an eleventh sends 200 commands in 10 s, and pays everything once', async () => {
      const samples: Sample[] = [];
      const start = Date.now() + 200;
      const load: Promise<void>[] = [];

      let flooderSpins = 0;
      for (let i = 0; i < FLOOD_COMMANDS; i++) {
        load.push(
          at(start, (i * LOAD_MS) / FLOOD_COMMANDS, () => {
            const games = fake
              .messages(flooder.id)
              .find((message) => message.text.startsWith('What shall we play'));
            if (games && flooderSpins < 3) {
              flooderSpins++;
              fake.pressButton(flooder, games, spinButtonOf(games));
              return;
            }
            fake.sendText(flooder, FLOOD_CYCLE[i % FLOOD_CYCLE.length]);
          }),
        );
      }
      players.forEach((player, index) => {
        PLAYER_SCRIPT.forEach((step, stepIndex) => {
          // Spread the players over the second, as real people would be.
          const offset = stepIndex * 1000 + index * 97;
          load.push(
            at(start, offset, () => {
              if (step.send === 'text') {
                samples.push({ user: player.id, step: stepIndex, sentAt: Date.now() });
                fake.sendText(player, step.text!);
              }
            }).then(async () => {
              if (step.send !== 'spin') return;
              // The button is on the /games answer; a player presses it once they see it.
              const games = await fake.waitForMessage(player.id, /^What shall we play/, 30_000);
              samples.push({ user: player.id, step: stepIndex, sentAt: Date.now() });
              fake.pressButton(player, games, spinButtonOf(games));
            }),
          );
        });
      });
      await Promise.all(load);

      // Every player's every step answered; the n-th answer of a kind belongs to the n-th ask.
      const latencies = await waitFor(
        () => {
          const result: number[] = [];
          for (const player of players) {
            const sent = sentTexts(fake, player.id);
            const seen = new Map<string, number>();
            const mine = samples
              .filter((sample) => sample.user === player.id)
              .sort((a, b) => a.sentAt - b.sentAt);
            for (const sample of mine) {
              const pattern = PLAYER_SCRIPT[sample.step].answer;
              const nth = seen.get(pattern.source) ?? 0;
              seen.set(pattern.source, nth + 1);
              const answer = sent.filter((call) => pattern.test(String(call.params.text)))[nth];
              if (!answer) return undefined;
              result.push(answer.at - sample.sentAt);
            }
          }
          return result;
        },
        { timeoutMs: 60_000, what: 'an answer to every step of every player' },
      );

      expect(latencies).toHaveLength(players.length * PLAYER_SCRIPT.length);
      const worst = percentile(latencies, 0.99);
      process.stdout.write(
        `fairness (${mode}): ${latencies.length} answers, p50 ${percentile(latencies, 0.5)} ms, ` +
          `p99 ${worst} ms, max ${Math.max(...latencies)} ms\n`,
      );
      expect(worst).toBeLessThan(1500);

      // The flooder was told once to slow down, in their language.
      await waitFor(() =>
        sentTexts(fake, flooder.id).some((call) => /slow down/i.test(String(call.params.text))),
      );
      expect(
        sentTexts(fake, flooder.id).filter((call) => /slow down/i.test(String(call.params.text))),
      ).toHaveLength(1);

      // Effects exactly once: one daily reward and one spin per player, flooder included.
      for (const user of [flooder, ...players]) {
        const account = await accountOf(app!, user.id);
        expect(account).toBeDefined();
        const rows = await query<{ reason: string; n: string }>(
          app!,
          `SELECT reason, count(*) AS n FROM ledger_entries
            WHERE account_id = $1 AND reason IN ('daily_reward', 'daily_spin') GROUP BY reason`,
          [account],
        );
        const counts = Object.fromEntries(rows.map((row) => [row.reason, Number(row.n)]));
        expect(counts).toEqual({ daily_reward: 1, daily_spin: 1 });
      }
    });
  },
);
