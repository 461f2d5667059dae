import { Browser, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { RoleMappingsService } from '@ttfd/sync';
// scripts/ has no @ttfd alias (it is no library): the demo's mappings.
// eslint-disable-next-line no-restricted-imports
import { DEMO_ACHIEVEMENT_ROLES, DEMO_RANK_ROLES } from '../../scripts/seed-demo-community';
import { LedgerService } from '@ttfd/economy';
import { IdentityService } from '@ttfd/linking';
import { newPlayer, TEST_BOT_TOKEN, widgetData } from '../api/fixtures';
import { FakeDiscord } from '../fakes/discord';
import {
  DashboardWorld,
  describeInBrowser,
  fakeBotApi,
  launchChromium,
  UI_WAIT_MS,
  rawCodes,
  recordCspViolations,
  screenshot,
  sidewaysOverflow,
  signInAsAdmin,
  splitWords,
  startDashboardWorld,
} from './dashboard-kit';

/** A 2x2 PNG (red): what the fake CDN serves as Alice's avatar. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEklEQVR4nGP4z8DAwMDAwMAAAA4AAf9eJ8ZwAAAAAElFTkSuQmCC',
  'base64',
);

const WIDTHS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 900 },
] as const;

/**
 * Every page of the dashboard at a phone's 390 px and a desktop's 1,280 px, under the real
 * Content-Security-Policy (no bypass): no word is broken across two lines, no raw code is on
 * screen, nothing scrolls sideways, no CSP violation. Plus what the pages must show: names and
 * avatars on the leaderboard (from our origin), a hidden player keeping their place, the
 * signed-in player's row one click away, the guild's roles in the role picker (from the fake
 * Discord), and a failed event that says which role Discord refused and what to do.
 */
describeInBrowser('dashboard: every page at 390 and 1280 px (Chromium)', () => {
  let discord: FakeDiscord;
  let bot: Awaited<ReturnType<typeof fakeBotApi>>;
  let world: DashboardWorld;
  let browser: Browser;
  let alice: string;
  let me: string;

  beforeAll(async () => {
    discord = await FakeDiscord.start();
    bot = await fakeBotApi();
    world = await startDashboardWorld({
      env: {
        // The API role with the bot token: guild roles and avatars over REST, no gateway.
        APP_ROLES: 'api',
        DISCORD_BOT_TOKEN: discord.token,
        DISCORD_GUILD_ID: discord.guild.id,
        DISCORD_API_BASE: discord.apiBase,
        DISCORD_CDN_BASE: discord.cdnBase,
        TELEGRAM_BOT_TOKEN: TEST_BOT_TOKEN,
        TELEGRAM_API_ROOT: bot.url,
      },
      // No worker in this process: the seed does not wait for the outbox.
      settleMs: 0,
      people: 40,
      // The demo's made-up role ids, as a community that deleted them would have: the seed
      // keeps existing mappings, and the role picker must say they are gone.
      beforeSeed: async (t) => {
        const db = t.app.get(DataSource);
        for (const [rankId, roleId] of Object.entries(DEMO_RANK_ROLES)) {
          await db.query(
            `INSERT INTO rank_role_mappings (rank_id, discord_role_id) VALUES ($1, $2)
             ON CONFLICT (rank_id) DO UPDATE SET discord_role_id = $2`,
            [Number(rankId), roleId],
          );
        }
        for (const [code, roleId] of Object.entries(DEMO_ACHIEVEMENT_ROLES)) {
          await db.query(
            `INSERT INTO achievement_role_mappings (achievement_code, discord_role_id) VALUES ($1, $2)
             ON CONFLICT (achievement_code) DO UPDATE SET discord_role_id = $2`,
            [code, roleId],
          );
        }
      },
    });
    // Alice of the fake guild: the most XP, a server nickname-free global name and an avatar.
    const { users, roles } = discord.guild;
    discord.setAvatar(users.alice.id, PNG);
    alice = (
      await world.t.app
        .get(IdentityService)
        .resolve('discord', users.alice.id, { username: 'alice', displayName: 'Alice' })
    ).accountId;
    await world.t.app.get(LedgerService).award({
      accountId: alice,
      xp: 50_000,
      coins: 0,
      reason: 'game_quiz',
      source: 'discord',
      idempotencyKey: 'every-page:alice',
    });
    me = await newPlayer(world.t, 'telegram', '8800002', { xp: 1 });
    // Rank 3's role is above the bot's only role after this: the picker must warn.
    discord.setMemberRoles(discord.guild.id, users.bot.id, [roles.rank2]);
    await world.t.app
      .get(RoleMappingsService)
      .set('rank', [{ key: '3', discordRoleId: roles.rank3 }]);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await world?.t.close();
    await discord?.stop();
    await new Promise((resolve) => bot?.server.close(resolve));
  });

  /**
   * Polls an expression in the page (page.evaluate works under the CSP; waitForFunction's
   * eval does not).
   */
  async function until(page: Page, expression: string, timeoutMs = UI_WAIT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await page.evaluate<boolean>(expression))) {
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${expression}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function signInAsPlayer(page: Page): Promise<void> {
    await page.goto(`${world.t.url}/sign-in`);
    await until(page, `typeof window.onTelegramAuth === 'function'`);
    await page.evaluate(
      `window.onTelegramAuth(${JSON.stringify(widgetData('8800002', Date.now()))})`,
    );
    await page.locator(`#my-profile[data-account-id="${me}"]`).waitFor({ timeout: UI_WAIT_MS });
  }

  async function open(width: (typeof WIDTHS)[number]): Promise<{
    page: Page;
    violations: () => Promise<string[]>;
  }> {
    const page = await browser.newPage({ viewport: { width: width.width, height: width.height } });
    const violations = await recordCspViolations(page);
    return { page, violations };
  }

  /** The checks every page passes, with its screenshot. */
  async function checkPage(page: Page, path: string, shot: string) {
    expect([path, await splitWords(page)]).toEqual([path, []]);
    expect([path, await rawCodes(page)]).toEqual([path, []]);
    expect([path, await sidewaysOverflow(page)]).toEqual([path, 0]);
    await screenshot(page, shot);
  }

  for (const width of WIDTHS) {
    it(`admin pages at ${width.width} px: whole words, no codes, no CSP violation`, async () => {
      const { page, violations } = await open(width);
      await signInAsAdmin(page, world.t.url);
      await page.locator('[data-stat="players"]').waitFor({ timeout: UI_WAIT_MS });
      const player = world.community.players.find((p) => p.discordId && p.telegramId)!;
      const pages: [string, string, string][] = [
        ['/', '[data-stat="players"]', 'overview'],
        ['/events', 'tbody tr', 'sync-events'],
        [`/events?id=${world.community.failedEventId}`, '#failure-advice', 'sync-event-failed'],
        ['/reconcile', '#run-reconcile', 'reconcile'],
        ['/leaderboard', '.lb-row', 'leaderboard-admin'],
        [`/player?platform=account&id=${player.accountId}`, '#ledger tbody tr', 'player'],
        ['/settings', 'select#role-rank-1', 'settings'],
      ];
      for (const [path, ready, name] of pages) {
        await page.goto(`${world.t.url}${path}`);
        await page.locator(ready).first().waitFor({ timeout: UI_WAIT_MS });
        await checkPage(page, path, `${name}-${width.name}`);
      }
      expect(await violations()).toEqual([]);
      await page.close();
    });

    it(`public and player pages at ${width.width} px`, async () => {
      const { page, violations } = await open(width);
      await page.goto(`${world.t.url}/sign-in`);
      await page.locator('#admin-token').waitFor({ timeout: UI_WAIT_MS });
      await checkPage(page, '/sign-in', `sign-in-${width.name}`);
      await page.goto(`${world.t.url}/leaderboard`);
      await page.locator('.lb-row').first().waitFor({ timeout: UI_WAIT_MS });
      await checkPage(page, '/leaderboard', `leaderboard-${width.name}`);
      // The widget's script cannot load here (no internet): signed data, as it would send.
      await signInAsPlayer(page);
      await checkPage(page, '/me', `my-profile-${width.name}`);
      await page.goto(`${world.t.url}/leaderboard`);
      await page.locator('#my-standing').waitFor({ timeout: UI_WAIT_MS });
      await checkPage(page, '/leaderboard (player)', `leaderboard-player-${width.name}`);
      const blocked = (await violations()).filter((v) => !v.includes('telegram.org'));
      expect(blocked).toEqual([]);
      await page.close();
    });
  }

  it('shows names and our-origin avatars on the leaderboard; a hidden player keeps the place', async () => {
    const { page } = await open(WIDTHS[1]);
    const avatars: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'image') avatars.push(request.url());
    });
    await page.goto(`${world.t.url}/leaderboard`);
    await page.locator('.lb-row').first().waitFor({ timeout: UI_WAIT_MS });
    // The open season is not empty on a fresh demo (the seed plays into it).
    expect(await page.locator('#leaderboard-subtitle').textContent()).toMatch(
      /XP earned in the season/,
    );
    const first = page.locator('.lb-row').first();
    expect(await first.getAttribute('data-account-id')).toBe(alice);
    expect(await first.locator('.lb-name').textContent()).toBe('Alice');
    await until(page, `document.querySelector('.lb-row img.avatar')?.naturalWidth === 2`);
    expect(avatars.every((url) => url.startsWith(world.t.url))).toBe(true);
    expect(avatars).toContain(`${world.t.url}/avatars/${alice}`);

    // Paging through everyone.
    const before = await page.locator('.lb-row').count();
    await page.click('#show-more');
    await until(page, `document.querySelectorAll('.lb-row').length > ${before}`);
    const names = await page.locator('.lb-name').allTextContents();
    // Community names only: never an @username or a bare id.
    for (const name of names) expect(name).not.toMatch(/^@|^\d+$|^#\d+/);
    expect(names).toEqual(expect.arrayContaining(['Hidden player', 'Maria']));
    const hidden = world.community.players[4];
    const row = page.locator(`.lb-row[data-account-id="${hidden.accountId}"]`);
    expect(await row.locator('.lb-name').textContent()).toBe('Hidden player');
    expect(Number(await row.getAttribute('data-place'))).toBeGreaterThan(0);
    expect(await row.locator('img').count()).toBe(0);
    expect((await fetch(`${world.t.url}/avatars/${hidden.accountId}`)).status).toBe(404);

    // All time, by choice.
    await page.selectOption('#season-picker', 'all');
    await page.locator('#leaderboard-subtitle', { hasText: 'All time' }).waitFor();
    await page.close();
  });

  it("jumps to the signed-in player's own row in one click", async () => {
    const { page } = await open(WIDTHS[0]);
    await signInAsPlayer(page);
    await page.goto(`${world.t.url}/leaderboard`);
    const place = Number(
      await page.locator('[data-field="my-place"]').textContent({ timeout: UI_WAIT_MS }),
    );
    expect(place).toBeGreaterThan(25);
    expect(await page.locator('.lb-row.me').count()).toBe(0);
    await page.click('#show-me');
    const mine = page.locator(`.lb-row.me[data-account-id="${me}"]`);
    await mine.waitFor({ timeout: UI_WAIT_MS });
    expect(Number(await mine.getAttribute('data-place'))).toBe(place);
    expect(await page.locator('.lb-row').first().getAttribute('data-account-id')).toBe(me);
    await screenshot(page, 'leaderboard-my-row-phone');
    await page.close();
  });

  it("lists the guild's roles by name in the role picker and warns about one Discord would refuse", async () => {
    const { page } = await open(WIDTHS[1]);
    await signInAsAdmin(page, world.t.url);
    await page.locator('[data-stat="players"]').waitFor({ timeout: UI_WAIT_MS });
    await page.goto(`${world.t.url}/settings`);
    const picker = page.locator('select#role-rank-1');
    await picker.waitFor({ timeout: UI_WAIT_MS });
    const options = await picker.locator('option').allTextContents();
    expect(options).toEqual(
      expect.arrayContaining(['No role', 'Rank I', 'Rank II', 'Rank III', 'Chatterbox', 'Admin']),
    );
    expect(options).not.toContain('@everyone');
    // Rank 3 maps to "Rank III", now above the bot's highest role ("Rank II").
    const rank3 = page.locator('form[data-key="3"] .warning');
    expect(await rank3.textContent()).toContain("above the bot's highest role");
    // The demo's made-up ids do not exist in this guild.
    expect(await page.locator('form[data-key="1"] .warning').textContent()).toContain(
      'no longer exists',
    );
    // Picking an existing role below the bot and saving it.
    await page.selectOption('select#role-rank-4', discord.guild.roles.rank1);
    expect(await page.locator('form[data-key="4"] .warning').isHidden()).toBe(true);
    await page.click('form[data-key="4"] button[type=submit]');
    await page.locator('form[data-key="4"] .notice.ok').waitFor({ timeout: UI_WAIT_MS });
    await screenshot(page, 'settings-role-picker');
    await page.close();
  });
});
