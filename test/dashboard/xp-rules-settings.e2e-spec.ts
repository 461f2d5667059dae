/**
 * The dashboard's XP rules section (admin settings page) and the player's settings section
 * (their own page) in Chromium: the server's refusal shows in place, a saved rule is what the
 * API then reports, a player's toggle is stored, and both fit a 390 px phone.
 */
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Browser, Page } from 'playwright-core';
import { dataSourceOf, newPlayer, TEST_BOT_TOKEN, widgetData } from '../api/fixtures';
import { adminGql } from '../api/api-client';
import {
  BYPASS_CSP,
  DashboardWorld,
  describeInBrowser,
  launchChromium,
  UI_WAIT_MS,
  screenshot,
  sidewaysOverflow,
  signInAsAdmin,
  startDashboardWorld,
} from './dashboard-kit';

async function fakeBotApi(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify(
        req.url?.endsWith('/getMe')
          ? {
              ok: true,
              result: { id: 1, is_bot: true, first_name: 'T', username: 'ttfd_test_bot' },
            }
          : { ok: true, result: { message_id: 1, date: 0, chat: { id: 1, type: 'private' } } },
      ),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describeInBrowser('dashboard: XP rules and player settings (Chromium)', () => {
  let world: DashboardWorld;
  let bot: Awaited<ReturnType<typeof fakeBotApi>>;
  let browser: Browser;
  let page: Page;
  let me: string;

  beforeAll(async () => {
    bot = await fakeBotApi();
    world = await startDashboardWorld({
      env: { TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN, TELEGRAM_API_ROOT: bot.url },
    });
    me = await newPlayer(world.t, 'telegram', '8800099', { xp: 10 });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await world?.t.close();
    await new Promise((resolve) => bot?.server.close(resolve));
  });
  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 390, height: 844 }, bypassCSP: BYPASS_CSP });
  });
  afterEach(async () => {
    await page?.close();
  });

  it('an admin sets a channel multiplier: a refusal shows in place, a valid one is saved', async () => {
    await signInAsAdmin(page, world.t.url);
    await page.goto(`${world.t.url}/settings`);
    await page.locator('#xp-multiplier-form').waitFor({ timeout: UI_WAIT_MS });
    await page.fill('#xp-target', '123');
    await page.click('#xp-multiplier-form button[type=submit]');
    await page.getByText(/17-20 digits.*INVALID_XP_RULE/).waitFor({ timeout: UI_WAIT_MS });

    await page.fill('#xp-target', '1100000000000000001');
    await page.fill('#xp-multiplier', '0');
    await page.click('#xp-multiplier-form button[type=submit]');
    await page.locator('#xp-rules td', { hasText: 'no XP' }).waitFor({ timeout: UI_WAIT_MS });
    const { data } = await adminGql<{ xpRules: { multipliers: unknown[] } }>(
      world.t.url,
      `{ xpRules { multipliers { kind targetId multiplier } } }`,
    );
    expect(data!.xpRules.multipliers).toEqual([
      { kind: 'channel', targetId: '1100000000000000001', multiplier: 0 },
    ]);
    expect(await sidewaysOverflow(page)).toBe(0);
    await screenshot(page, 'settings-xp-rules-phone');
  });

  it('a player turns DMs off from their page', async () => {
    await page.goto(`${world.t.url}/sign-in`);
    await page.locator('#player-sign-in').waitFor();
    await page.waitForFunction('typeof window.onTelegramAuth === "function"');
    await page.evaluate(
      `window.onTelegramAuth(${JSON.stringify(widgetData('8800099', Date.now()))})`,
    );
    const dm = page.locator('#setting-dm');
    await dm.waitFor({ timeout: UI_WAIT_MS });
    expect(await dm.isChecked()).toBe(true);
    await dm.uncheck();
    await page.getByText('Saved.').waitFor({ timeout: UI_WAIT_MS });
    const stored = await dataSourceOf(world.t).query(
      `SELECT dm_opt_out, leaderboard_hidden FROM accounts WHERE id = $1`,
      [me],
    );
    expect(stored).toEqual([{ dm_opt_out: true, leaderboard_hidden: false }]);
    expect(await sidewaysOverflow(page)).toBe(0);
    await screenshot(page, 'my-settings-phone');
  });
});
