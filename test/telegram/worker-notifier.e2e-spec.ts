/**
 * A process with the `worker` role and without the `telegram` role (the bot runs elsewhere)
 * still tells Telegram players about their rank-ups: the notifier alone, over the Bot API.
 */
import { ManualClock } from '@ttfd/clock';
import { LedgerService } from '@ttfd/economy';
import { IdentityService } from '@ttfd/linking';
import { FakeTelegram } from '../fakes/telegram';
import { startTestApp, TestApp } from '../support/test-app';

describe('a worker without the telegram role', () => {
  let telegram: FakeTelegram;
  let t: TestApp;

  beforeAll(async () => {
    telegram = await FakeTelegram.start();
    t = await startTestApp({
      clock: new ManualClock('2026-03-02T10:00:00Z'),
      env: {
        APP_ROLES: 'worker,scheduler',
        TELEGRAM_BOT_TOKEN: telegram.token,
        TELEGRAM_API_ROOT: telegram.apiRoot,
      },
    });
  });

  afterAll(async () => {
    await t?.close();
    await telegram?.stop();
  });

  it('sends the rank-up message, and never polls for updates', async () => {
    const player = { id: 7001, first_name: 'Ann', language_code: 'en' };
    telegram.addChat({ id: player.id, type: 'private', first_name: player.first_name });
    const { accountId } = await t.app
      .get(IdentityService)
      .resolve('telegram', String(player.id), { locale: 'en' });
    await t.app.get(LedgerService).award({
      accountId,
      xp: 1_000, // rank 2
      reason: 'discord_message',
      source: 'discord',
      idempotencyKey: 'worker-notifier-1',
    });
    const message = await telegram.waitForMessage(player.id, /rank/i, 10_000);
    expect(message.text).toContain('Apprentice');
    expect(telegram.calls('getUpdates')).toHaveLength(0);
    expect(telegram.calls('setWebhook')).toHaveLength(0);
  });
});
