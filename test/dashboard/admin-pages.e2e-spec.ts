import { Browser, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { adminGql } from '../api/api-client';
import {
  DashboardWorld,
  launchChromium,
  UI_WAIT_MS,
  screenshot,
  sidewaysOverflow,
  signInAsAdmin,
  startDashboardWorld,
  describeInBrowser,
  BYPASS_CSP,
} from './dashboard-kit';

describeInBrowser('dashboard: admin pages (Chromium)', () => {
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
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, bypassCSP: BYPASS_CSP });
    await signInAsAdmin(page, world.t.url);
    await page.locator('[data-stat="players"]').waitFor({ timeout: UI_WAIT_MS });
  });
  afterEach(async () => {
    await page?.close();
  });

  it('shows a failed event with its payload, attempts and error; a retry completes it', async () => {
    const id = world.community.failedEventId;
    await page.click('nav >> text=Sync events');
    await page.selectOption('#filter-status', 'failed');
    await page.click('#event-filter button[type=submit]');
    const row = page.locator(`tr[data-event-id="${id}"]`);
    await row.waitFor({ timeout: UI_WAIT_MS });
    expect(await page.locator('tbody tr').count()).toBe(1);
    await row.click();
    const detail = page.locator(`#event-detail[data-event-id="${id}"]`);
    await detail.waitFor({ timeout: UI_WAIT_MS });
    expect(await detail.locator('.event-error').textContent()).toContain('Missing Permissions');
    // The stored failure in words: which role, which member, what to do.
    const advice = await detail.locator('#failure-advice').textContent();
    expect(advice).toContain('Discord refused to change');
    expect(advice).toContain("Move the bot's role above");
    expect(JSON.parse((await detail.locator('.event-payload').textContent())!)).toEqual(
      expect.any(Object),
    );
    expect(await detail.textContent()).toMatch(/Attempts\s*\d+ of \d+/);
    expect(page.url()).toContain(`id=${id}`);
    await screenshot(page, 'sync-events');

    await page.click('#retry-event');
    await page
      .locator(`#event-detail[data-event-id="${id}"][data-status="completed"]`)
      .waitFor({ timeout: UI_WAIT_MS });
    const stats = await adminGql<{ syncStats: { byStatus: { key: string; count: number }[] } }>(
      world.t.url,
      `{ syncStats { byStatus { key count } } }`,
    );
    expect(stats.data!.syncStats.byStatus.find((s) => s.key === 'failed')?.count).toBe(0);
    await screenshot(page, 'sync-event-retried');
  });

  it('retries all failed events from the list', async () => {
    await world.t.app
      .get(DataSource)
      .query(
        `UPDATE sync_events SET status = 'failed', last_error = 'boom' WHERE id IN (SELECT id FROM sync_events WHERE status = 'completed' ORDER BY id DESC LIMIT 2)`,
      );
    await page.goto(`${world.t.url}/events?status=failed`);
    await page.locator('tbody tr').first().waitFor({ timeout: UI_WAIT_MS });
    await page.click('#retry-all');
    await page.getByText(/\d+ failed events queued again\./).waitFor({ timeout: UI_WAIT_MS });
    await page.getByText('No events match.').waitFor({ timeout: UI_WAIT_MS });
  });

  it('edits a rank role mapping: an invalid id is refused in the form, a valid one is saved', async () => {
    await page.click('nav >> text=Settings');
    const input = page.locator('#role-rank-4');
    await input.waitFor({ timeout: UI_WAIT_MS });
    let calls = 0;
    page.on('request', (request) => {
      if (request.url().endsWith('/graphql') && request.postData()?.includes('setRankRole'))
        calls++;
    });
    await input.fill('12345');
    await page.click('form[data-key="4"] button[type=submit]');
    await page.locator('#role-rank-4[aria-invalid="true"]').waitFor();
    expect(await page.locator('#role-rank-4-msg').textContent()).toContain('17 to 20 digits');
    expect(calls).toBe(0);
    await screenshot(page, 'settings-invalid');

    await input.fill('1190000000000000004');
    await page.click('form[data-key="4"] button[type=submit]');
    await page.getByText(/Saved; \d+ members? re-syncing/).waitFor({ timeout: UI_WAIT_MS });
    expect(calls).toBe(1);
    const { data } = await adminGql<{ rankRoles: { key: string; discordRoleId: string }[] }>(
      world.t.url,
      `{ rankRoles { key discordRoleId } }`,
    );
    expect(data!.rankRoles.find((m) => m.key === '4')?.discordRoleId).toBe('1190000000000000004');

    await page.reload();
    await page.locator('#role-rank-4').waitFor({ timeout: UI_WAIT_MS });
    expect(await page.inputValue('#role-rank-4')).toBe('1190000000000000004');
    await screenshot(page, 'settings');
  });

  it('finds a player by Discord id: profile, ledger, roles wanted vs applied; adjusts with a reason', async () => {
    const player = world.community.players.find((p) => p.discordId && p.telegramId)!;
    await page.click('nav >> text=Player');
    await page.selectOption('#find-platform', 'discord');
    await page.fill('#find-id', 'abc');
    await page.click('#find-player button[type=submit]');
    await page.locator('#find-id[aria-invalid="true"]').waitFor();

    await page.fill('#find-id', player.discordId!);
    await page.click('#find-player button[type=submit]');
    const account = page.locator(`#account[data-account-id="${player.accountId}"]`);
    await account.waitFor({ timeout: UI_WAIT_MS });
    expect(await account.textContent()).toContain(`Telegram ${player.telegramId}`);
    expect(await page.locator('#roles [data-field="wanted"]').textContent()).toMatch(/\d{17}/);
    expect(await page.locator('#roles [data-field="applied"]').textContent()).not.toContain(
      'unknown',
    );
    expect(await page.locator('#ledger tbody tr').count()).toBeGreaterThan(0);

    const before = Number(
      (await page.locator('[data-field="coins"]').textContent())!.replace(/,/g, ''),
    );
    await page.selectOption('#adjust-currency', 'coins');
    await page.fill('#adjust-delta', '25');
    await page.click('#adjust-form button[type=submit]');
    await page.getByText('Say why').waitFor();
    await page.fill('#adjust-reason', 'tournament prize');
    await page.click('#adjust-form button[type=submit]');
    await page.waitForFunction(
      `document.querySelector('[data-field="coins"]')?.textContent.replace(/,/g, '') === '${before + 25}'`,
      undefined,
      { timeout: UI_WAIT_MS },
    );
    expect(await page.locator('#ledger tbody tr').first().textContent()).toContain(
      'tournament prize',
    );
    await screenshot(page, 'player');
  });

  it('runs a reconcile and shows its report', async () => {
    await page.click('nav >> text=Reconcile');
    await page.click('#run-reconcile');
    await page.getByText(/Started a reconcile run/).waitFor({ timeout: UI_WAIT_MS });
    const done = page.locator('tr[data-status="completed"]').first();
    await done.waitFor({ timeout: 30_000 });
    expect(await done.textContent()).toMatch(/Checked [^.]*\d+ accounts?/);
    await screenshot(page, 'reconcile');
  });

  it('at 390 px no page scrolls sideways', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const player = world.community.players[0];
    const pages: [string, string, string][] = [
      ['/', '[data-stat="players"]', 'overview'],
      ['/events', 'tbody tr', 'sync-events'],
      [`/events?id=${world.community.failedEventId}`, '#event-detail', 'sync-event-detail'],
      ['/reconcile', '#run-reconcile', 'reconcile'],
      ['/leaderboard', '.lb-row', 'leaderboard'],
      [`/player?platform=account&id=${player.accountId}`, '#account', 'player'],
      ['/settings', '#role-rank-1', 'settings'],
      ['/sign-in', '#admin-token', 'sign-in'],
    ];
    for (const [path, ready, name] of pages) {
      await page.goto(`${world.t.url}${path}`);
      await page.locator(ready).first().waitFor({ timeout: UI_WAIT_MS });
      expect([path, await sidewaysOverflow(page)]).toEqual([path, 0]);
      await screenshot(page, `${name}-phone`);
    }
  });
});
