import { DataSource } from 'typeorm';
import { EconomyModule } from '@ttfd/economy';
import { ReconcileService, RoleGatewayRegistry } from '@ttfd/sync';
import { InMemoryRoleGateway } from '@ttfd/sync/testing';
import { FakeTelegram } from '../fakes/telegram';
import { startTestApp, TestApp, waitFor } from '../support/test-app';
import { mapRoles } from '../sync/sync-harness';

const ALERT_CHAT = -100_777;

/**
 * A guard tripped by the sync engine reaches the operators' chat directly (not through the
 * outbox it reports on): the AlertPublisher port is bound to observability's chat delivery.
 */
describe('a reconcile guard raises a chat alert', () => {
  let telegram: FakeTelegram;
  let t: TestApp;

  beforeAll(async () => {
    telegram = await FakeTelegram.start();
    telegram.addChat({ id: ALERT_CHAT, type: 'supergroup', title: 'ops' });
    t = await startTestApp({
      imports: [EconomyModule],
      env: {
        APP_ROLES: 'worker,scheduler',
        TELEGRAM_BOT_TOKEN: telegram.token,
        TELEGRAM_API_ROOT: telegram.apiRoot,
        ALERT_TELEGRAM_CHAT_ID: String(ALERT_CHAT),
        ALERT_QUIET_PERIOD_MS: '600000',
      },
    });
    t.app.get(RoleGatewayRegistry).register(new InMemoryRoleGateway());
    await mapRoles(t.app.get(DataSource));
  });

  afterAll(async () => {
    await t?.close();
    await telegram?.stop();
  });

  it('an empty member list strips nothing and tells the chat once per quiet period', async () => {
    const reconcile = t.app.get(ReconcileService);
    const finished = async (jobId: string) =>
      waitFor(
        async () => {
          const report = await reconcile.report(jobId);
          return report && report.status !== 'running' ? report : null;
        },
        { what: `reconcile ${jobId}` },
      );

    const first = await finished(await reconcile.runNow());
    expect(first.alerts.map((alert) => alert.kind)).toEqual(['reconcile_empty_member_list']);
    const alert = await telegram.waitForMessage(ALERT_CHAT, /listed no members/, 10_000);
    expect(alert.text).toMatch(/^⚠️ TTFD Sync:/);

    // A second run in the quiet period records the alert in its report but does not repeat it.
    const second = await finished(await reconcile.runNow());
    expect(second.alerts.map((a) => a.kind)).toEqual(['reconcile_empty_member_list']);
    expect(telegram.messages(ALERT_CHAT)).toHaveLength(1);
  });
});
