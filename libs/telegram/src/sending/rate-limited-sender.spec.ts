import type { Telegraf } from 'telegraf';
import type { TelegramSettings } from '../telegram-settings';
import { Pacer } from './pacer';
import { RateLimitedSender, SenderStopped } from './rate-limited-sender';

/** Virtual time: sleeping moves the clock, in order of wake-up, like real timers would. */
class VirtualPacer extends Pacer {
  private time = 0;
  private sleepers: { until: number; wake: () => void }[] = [];

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (ms <= 0 || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      this.sleepers.push({ until: this.time + ms, wake: resolve });
      signal?.addEventListener('abort', () => resolve(), { once: true });
    });
  }

  /** Runs every queued job to the end, jumping from one wake-up to the next. */
  async settle(): Promise<void> {
    for (let round = 0; round < 10_000; round++) {
      await new Promise((resolve) => setImmediate(resolve));
      if (this.sleepers.length === 0) return;
      this.sleepers.sort((a, b) => a.until - b.until);
      const next = this.sleepers.shift()!;
      this.time = Math.max(this.time, next.until);
      next.wake();
    }
    throw new Error('VirtualPacer: never settled');
  }
}

function senderWith(settings: Partial<TelegramSettings> = {}) {
  const pacer = new VirtualPacer();
  const sent: { chat: string; at: number }[] = [];
  const bot = {
    telegram: {
      sendMessage: async (chatId: number | string) => {
        sent.push({ chat: String(chatId), at: pacer.now() });
        return { message_id: sent.length };
      },
    },
  } as unknown as Telegraf;
  const sender = new RateLimitedSender(
    bot,
    {
      sendPerSecond: 30,
      sendPerChatPerSecond: 1,
      sendPerGroupPerMinute: 20,
      shutdownGraceMs: 10_000,
      ...settings,
    } as TelegramSettings,
    pacer,
  );
  return { sender, pacer, sent };
}

describe('RateLimitedSender', () => {
  it('never lets a flooded chat delay another chat', async () => {
    const { sender, pacer, sent } = senderWith();
    for (let i = 0; i < 100; i++) void sender.sendMessage(1, `flood ${i}`);
    void sender.sendMessage(2, 'hello');
    await pacer.settle();
    const other = sent.find((s) => s.chat === '2')!;
    expect(other.at).toBe(0);
    // The flooded chat: a burst of 3, then one a second.
    const flooded = sent.filter((s) => s.chat === '1').map((s) => s.at);
    expect(flooded.slice(0, 4)).toEqual([0, 0, 0, 1000]);
    expect(flooded[99]).toBe(97_000);
  });

  it('keeps the global rate: 40 chats share 30/s once the burst is spent', async () => {
    const { sender, pacer, sent } = senderWith();
    for (let chat = 1; chat <= 40; chat++) {
      for (let i = 0; i < 5; i++) void sender.sendMessage(chat, 'x');
    }
    await pacer.settle();
    expect(sent).toHaveLength(200);
    // 30 at once (the bucket's capacity), then 30 a second for the other 170.
    const last = Math.max(...sent.map((s) => s.at));
    expect(last).toBeGreaterThanOrEqual(Math.floor((170 / 30) * 1000) - 40);
    expect(last).toBeLessThan(6_000);
  });

  it('paces a group chat at 20 messages a minute', async () => {
    const { sender, pacer, sent } = senderWith();
    for (let i = 0; i < 23; i++) void sender.sendMessage(-100123, `g${i}`);
    await pacer.settle();
    const times = sent.map((s) => s.at);
    expect(times.slice(0, 3)).toEqual([0, 0, 0]);
    expect(times[3]).toBe(3_000);
    expect(times[22]).toBe(60_000); // 3 at once, then one every 3 s
  });

  it('drains within the grace and refuses what comes after', async () => {
    const { sender, pacer, sent } = senderWith();
    const results = Array.from({ length: 5 }, (_, i) => sender.sendMessage(7, `m${i}`));
    const drained = sender.drain(10_000);
    await pacer.settle();
    expect(await drained).toBe(0);
    await Promise.all(results);
    expect(sent).toHaveLength(5);
    await expect(sender.sendMessage(7, 'late')).rejects.toBeInstanceOf(SenderStopped);
  });
});
