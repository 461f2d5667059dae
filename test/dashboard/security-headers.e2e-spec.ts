import { Browser, Page } from 'playwright-core';
import {
  DashboardWorld,
  describeInBrowser,
  launchChromium,
  UI_WAIT_MS,
  recordCspViolations,
  signInAsAdmin,
  startDashboardWorld,
} from './dashboard-kit';

/**
 * The dashboard, the GraphQL landing page and the API docs under their Content-Security-Policy:
 * every page loads and works with zero `securitypolicyviolation` events, and the headers forbid
 * framing and sniffing. An adjustment above the award limit shows the limit in words.
 */
describeInBrowser('security headers (Chromium)', () => {
  let world: DashboardWorld;
  let browser: Browser;
  let page: Page;
  let violations: () => Promise<string[]>;

  beforeAll(async () => {
    world = await startDashboardWorld();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await world?.t.close();
  });
  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    violations = await recordCspViolations(page);
  });
  afterEach(async () => {
    await page?.close();
  });

  it('sends helmet headers with a CSP on /, /graphql and /docs', async () => {
    for (const path of ['/', '/graphql', '/docs']) {
      const res = await fetch(`${world.t.url}${path}`, { headers: { accept: 'text/html' } });
      const csp = res.headers.get('content-security-policy') ?? '';
      expect([path, csp]).toEqual([path, expect.stringContaining("frame-ancestors 'none'")]);
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it('loads the public and admin dashboard pages without a violation', async () => {
    await page.goto(`${world.t.url}/sign-in`);
    await page.locator('#admin-token').waitFor();
    await page.goto(`${world.t.url}/leaderboard`);
    await page.locator('.lb-row').first().waitFor({ timeout: UI_WAIT_MS });
    await signInAsAdmin(page, world.t.url);
    await page.locator('[data-stat="players"]').waitFor({ timeout: UI_WAIT_MS });
    const player = world.community.players[0];
    for (const [path, ready] of [
      ['/events', 'tbody tr'],
      ['/settings', '#role-rank-1'],
      [`/player?platform=account&id=${player.accountId}`, '#account'],
    ]) {
      await page.goto(`${world.t.url}${path}`);
      await page.locator(ready).first().waitFor({ timeout: UI_WAIT_MS });
    }
    // An amount above the award limit: refused in the form, with the limit in words.
    await page.selectOption('#adjust-currency', 'xp');
    await page.fill('#adjust-delta', '3000000000');
    await page.fill('#adjust-reason', 'typo');
    await page.click('#adjust-form button[type=submit]');
    await page.getByText('at most 100,000 XP').waitFor({ timeout: UI_WAIT_MS });
    expect(await violations()).toEqual([]);
  });

  it('runs a query from the GraphQL landing page: its inline script and style are allowed', async () => {
    await page.goto(`${world.t.url}/graphql`, { waitUntil: 'load' });
    await page.click('#run');
    await page.waitForFunction(`document.getElementById('out').textContent.includes('"ranks"')`);
    const styled = await page.evaluate<string>(
      `getComputedStyle(document.querySelector('pre')).backgroundColor`,
    );
    expect(styled).toBe('rgb(244, 244, 244)');
    expect(await violations()).toEqual([]);
  });

  it('renders the API docs without a violation', async () => {
    await page.goto(`${world.t.url}/docs`);
    await page.locator('.swagger-ui .info').waitFor({ timeout: UI_WAIT_MS });
    expect(await violations()).toEqual([]);
  });
});
