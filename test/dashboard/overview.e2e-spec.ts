import { Browser, Page } from 'playwright-core';
import { LedgerService } from '@ttfd/economy';
import { adminGql, http } from '../api/api-client';
import { waitFor } from '../support/test-app';
import {
  DashboardWorld,
  figures,
  launchChromium,
  UI_WAIT_MS,
  sessionItem,
  screenshot,
  sidewaysOverflow,
  signInAsAdmin,
  startDashboardWorld,
  waitForFigure,
  describeInBrowser,
  BYPASS_CSP,
} from './dashboard-kit';

interface Stats {
  syncStats: {
    byStatus: { key: string; count: number }[];
    throughputPerMinute: number;
    oldestPendingAgeMs: number | null;
  };
  communityOverview: { players: number; linkedShare: number; xpAwardedToday: number };
}

const STATS = `{ syncStats(windowMinutes: 15) { byStatus { key count } throughputPerMinute oldestPendingAgeMs }
  communityOverview { players linkedShare xpAwardedToday } }`;

describeInBrowser('dashboard: serving, admin sign-in and the overview (Chromium)', () => {
  let world: DashboardWorld;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    world = await startDashboardWorld();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await world?.t.close();
  });
  beforeEach(async () => {
    page = await browser.newPage({ bypassCSP: BYPASS_CSP });
  });
  afterEach(async () => {
    await page?.close();
  });

  it('serves the dashboard at / and client routes, never shadowing the server paths', async () => {
    const { url } = world.t;
    const index = await http(url, 'GET', '/');
    expect(index.status).toBe(200);
    expect(index.text).toContain('<div id="app">');
    expect((await http(url, 'GET', '/events?status=failed')).text).toContain('<div id="app">');
    expect((await http(url, 'GET', '/health/live')).status).toBe(200);
    expect((await http(url, 'GET', '/metrics')).text).toContain('ttfd_');
    expect((await http(url, 'GET', '/admin/queues')).status).toBe(401);
    expect((await http(url, 'GET', '/docs-json')).status).toBe(200);
    expect((await http(url, 'GET', '/assets/missing.js')).status).toBe(404);
  });

  it('refuses a wrong admin token in the form and stores nothing', async () => {
    await signInAsAdmin(page, world.t.url, 'not-the-admin-token');
    await page.getByText('This admin token was refused.').waitFor({ timeout: UI_WAIT_MS });
    expect(await sessionItem(page, 'ttfd.adminToken')).toBeNull();
    await screenshot(page, 'sign-in-refused');
  });

  it("signs an admin in; the overview's figures equal syncStats and follow a new award without reload", async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await signInAsAdmin(page, world.t.url);
    await page.locator('[data-stat="players"]').waitFor({ timeout: UI_WAIT_MS });
    expect(await sessionItem(page, 'ttfd.adminToken')).not.toBeNull();

    // The worker may still be finishing the seed's events: compare until both sides agree.
    await waitFor(
      async () => {
        const { data } = await adminGql<Stats>(world.t.url, STATS);
        const shown = await figures(page);
        const count = (key: string) =>
          String(data!.syncStats.byStatus.find((s) => s.key === key)?.count ?? 0);
        const expected = {
          pending: count('pending'),
          failed: count('failed'),
          throughputPerMinute: String(data!.syncStats.throughputPerMinute),
          oldestPendingAgeMs:
            data!.syncStats.oldestPendingAgeMs === null ? '' : shown.oldestPendingAgeMs,
          players: String(data!.communityOverview.players),
          linkedShare: String(data!.communityOverview.linkedShare),
          xpAwardedToday: String(data!.communityOverview.xpAwardedToday),
        };
        const actual = Object.fromEntries(Object.keys(expected).map((k) => [k, shown[k]]));
        return JSON.stringify(actual) === JSON.stringify(expected);
      },
      { timeoutMs: 15_000, what: 'overview figures equal to syncStats' },
    );
    const shown = await figures(page);
    expect(Number(shown.failed)).toBe(1);
    expect(Number(shown.players)).toBe(world.community.players.length);
    await screenshot(page, 'overview');

    const before = Number(shown.xpAwardedToday);
    await world.t.app.get(LedgerService).award({
      accountId: world.community.players[0].accountId,
      xp: 777,
      reason: 'game_quiz',
      source: 'telegram',
      idempotencyKey: 'dashboard-test:live-award',
    });
    const started = Date.now();
    await waitForFigure(page, 'xpAwardedToday', String(before + 777));
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('fits a 390 px phone without sideways scrolling', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await signInAsAdmin(page, world.t.url);
    await page.locator('[data-stat="players"]').waitFor({ timeout: UI_WAIT_MS });
    expect(await sidewaysOverflow(page)).toBe(0);
    await screenshot(page, 'overview-phone');
  });
});
