import { Browser, Page } from 'playwright-core';
import { newPlayer, TEST_BOT_TOKEN, widgetData } from '../api/fixtures';
import { TEST_ADMIN_TOKEN } from '../support/test-app';
import {
  DashboardWorld,
  launchChromium,
  UI_WAIT_MS,
  screenshot,
  sessionItem,
  sidewaysOverflow,
  startDashboardWorld,
  describeInBrowser,
  BYPASS_CSP,
  fakeBotApi,
} from './dashboard-kit';

describeInBrowser('dashboard: a player session and the public pages (Chromium)', () => {
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
    me = await newPlayer(world.t, 'telegram', '8800001', { xp: 321, coins: 17 });
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

  it('shows the sign-in page when telegram.org cannot load, and admin sign-in still works', async () => {
    const widget: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('telegram.org')) widget.push(request.url());
    });
    await page.goto(world.t.url);
    await page.locator('#admin-token').waitFor({ timeout: UI_WAIT_MS });
    await page
      .getByText('The Telegram login button could not load from telegram.org.')
      .waitFor({ timeout: UI_WAIT_MS });
    // Asked for with the bot name the server learnt from getMe; it could not load.
    expect(widget).toEqual([expect.stringContaining('telegram.org/js/telegram-widget.js')]);
    expect(await page.locator('script[data-telegram-login="ttfd_test_bot"]').count()).toBe(1);
    await screenshot(page, 'sign-in-phone');
    expect(await sidewaysOverflow(page)).toBe(0);

    await page.fill('#admin-token', TEST_ADMIN_TOKEN);
    await page.click('#admin-sign-in button[type=submit]');
    await page.locator('[data-stat="players"]').waitFor({ timeout: UI_WAIT_MS });
  });

  it('signs a player in with signed Login Widget data; they see only their own profile', async () => {
    await page.goto(`${world.t.url}/sign-in`);
    await page.locator('#player-sign-in').waitFor();
    await page.waitForFunction('typeof window.onTelegramAuth === "function"');
    // What the widget does after Telegram's confirmation: call data-onauth with signed data.
    const user = widgetData('8800001', Date.now());
    await page.evaluate(`window.onTelegramAuth(${JSON.stringify(user)})`);
    const profile = page.locator(`#my-profile[data-account-id="${me}"]`);
    await profile.waitFor({ timeout: UI_WAIT_MS });
    expect(new URL(page.url()).pathname).toBe('/me');
    expect(await profile.locator('[data-field="xp"]').textContent()).toBe('321');
    expect(await profile.locator('[data-field="coins"]').textContent()).toBe('17');
    expect(await sessionItem(page, 'ttfd.playerSession')).toMatch(/^v1\./);
    expect(await sessionItem(page, 'ttfd.adminToken')).toBeNull();
    // The menu offers no admin page, and opening one by its address shows none of its data.
    const menu = await page.locator('header nav a').allTextContents();
    expect(menu).toEqual(['Leaderboard', 'My profile']);
    for (const path of ['/', '/events', '/player', '/settings', '/reconcile']) {
      await page.goto(`${world.t.url}${path}`);
      await page.locator('main h1').waitFor();
      if (path === '/') {
        await page.locator(`#my-profile[data-account-id="${me}"]`).waitFor({ timeout: UI_WAIT_MS });
      } else {
        expect([path, await page.locator('main h1').textContent()]).toEqual([
          path,
          'Sign in needed',
        ]);
      }
    }
    // Linking from the page: a code to give the Discord bot.
    await page.goto(`${world.t.url}/me`);
    await page.click('#create-link-code');
    expect(await page.locator('#link-code').textContent({ timeout: UI_WAIT_MS })).toMatch(
      /^\/link \S+/,
    );
    await screenshot(page, 'my-profile-phone');
    expect(await sidewaysOverflow(page)).toBe(0);
  });

  it('shows the public leaderboard to a guest, with past seasons to choose from', async () => {
    await page.goto(`${world.t.url}/leaderboard`);
    await page.locator('.lb-row').first().waitFor({ timeout: UI_WAIT_MS });
    const options = await page.locator('#season-picker option').allTextContents();
    expect(options[0]).toBe('All time');
    await page.selectOption('#season-picker', 'all');
    await page.locator('#leaderboard-subtitle', { hasText: 'All time' }).waitFor();
    const places = await page.locator('.lb-row .place').allTextContents();
    expect(places.slice(0, 3)).toEqual(['1', '2', '3']);
    expect(await sidewaysOverflow(page)).toBe(0);
    await screenshot(page, 'leaderboard-phone');
  });
});
