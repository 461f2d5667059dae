import { FakeTelegram, FakeUser } from '../fakes/telegram';
import { waitFor } from '../support/test-app';
import { startBotApp } from './bot-app';

describe('Telegram shutdown', () => {
  it('acknowledges before answering, and sends the queued answers before it closes', async () => {
    const fake = await FakeTelegram.start();
    const app = await startBotApp(fake, {
      env: { TELEGRAM_SEND_PER_CHAT_PER_SECOND: '1', SHUTDOWN_GRACE_MS: '10000' },
    });
    const user: FakeUser = { id: 9401, first_name: 'Sam', language_code: 'en' };
    try {
      await fake.waitForCall('getUpdates');
      const sent = Array.from({ length: 6 }, () => fake.sendText(user, '/help'));
      const lastId = sent[sent.length - 1].update_id;
      // All six acknowledged (the offset moved past them) while answers are still queued: 3 at
      // once, then one a second.
      await waitFor(() =>
        fake.calls('getUpdates').some((call) => Number(call.params.offset) > lastId),
      );
      expect(fake.messages(user.id).length).toBeLessThan(6);
    } finally {
      await app.close();
    }
    expect(fake.messages(user.id).filter((m) => m.text.startsWith('What I can do'))).toHaveLength(
      6,
    );
    await fake.stop();
  });
});
