import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { SystemClock } from '@ttfd/clock';
import { InMemoryRoleGateway, RoleGatewayRegistry } from '@ttfd/sync';
// scripts/ has no @ttfd alias (it is no library): the browser tests seed what seed:demo seeds.
// eslint-disable-next-line no-restricted-imports
import {
  demoDiscordIds,
  DemoCommunity,
  seedDemoCommunity,
} from '../../scripts/seed-demo-community';
import { startTestApp, TEST_ADMIN_TOKEN, TestApp, TestAppOptions } from '../support/test-app';

const ROOT = join(__dirname, '..', '..');
const SOURCES = join(ROOT, 'apps', 'dashboard');
const BUILT = join(ROOT, 'dist', 'dashboard', 'index.html');
export const SCREENSHOTS = join(ROOT, 'test-artifacts', 'dashboard');

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/**
 * Builds the dashboard when dist/dashboard is missing or older than its sources, with vite's
 * build() API. In a child process: vite is ESM-only and jest's module system loads CommonJS.
 */
export function ensureDashboardBuilt(): void {
  if (existsSync(BUILT) && statSync(BUILT).mtimeMs >= newest(SOURCES)) return;
  execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { build } from 'vite';
       await build({ configFile: ${JSON.stringify(join(SOURCES, 'vite.config.ts'))}, logLevel: 'warn' });`,
    ],
    { cwd: ROOT, stdio: 'inherit' },
  );
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * The browser suites need Debian's Chromium. CI installs it (.ci/run) and must run them; on a
 * developer's machine without it they are skipped with a message that says how to get them,
 * so `npm test` still works with only Node, Postgres and Redis.
 */
export const describeInBrowser: jest.Describe = (() => {
  if (existsSync(CHROMIUM) || process.env.CI) return describe;
  process.stderr.write(
    `Dashboard browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH).\n`,
  );
  return describe.skip;
})();

/** Debian's Chromium, headless, with nothing phoning home (the machine has no internet). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface DashboardWorld {
  t: TestApp;
  gateway: InMemoryRoleGateway;
  community: DemoCommunity;
}

/**
 * The whole app (api, worker, scheduler) on its own database and Redis prefix, on the real
 * clock (the overview counts "today" and the last hours), with an in-memory Discord guild
 * holding every seeded Discord member, and a small demo community.
 */
export async function startDashboardWorld(
  options: TestAppOptions & { people?: number } = {},
): Promise<DashboardWorld> {
  ensureDashboardBuilt();
  const t = await startTestApp({ clock: new SystemClock(), ...options });
  const gateway = new InMemoryRoleGateway();
  const people = options.people ?? 12;
  for (const id of demoDiscordIds(people)) gateway.setMember(id);
  t.app.get(RoleGatewayRegistry).register(gateway);
  const community = await seedDemoCommunity(t.app, { people });
  return { t, gateway, community };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Signs in through the form, as an admin would. */
export async function signInAsAdmin(page: Page, url: string, token = TEST_ADMIN_TOKEN) {
  await page.goto(`${url}/sign-in`);
  await page.fill('#admin-token', token);
  await page.click('#admin-sign-in button[type=submit]');
}

// Functions run in the page are given as strings: the root tsconfig (node) has no DOM types.

/** The page's width overflow in px (0: nothing scrolls sideways). */
export function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate<number>(
    'document.documentElement.scrollWidth - document.documentElement.clientWidth',
  );
}

export function sessionItem(page: Page, key: string): Promise<string | null> {
  return page.evaluate<string | null>(`sessionStorage.getItem(${JSON.stringify(key)})`);
}

/** The overview's figures as the page shows them (`data-value` holds the raw number). */
export async function figures(page: Page): Promise<Record<string, string>> {
  const shown: Record<string, string> = {};
  for (const element of await page.locator('[data-stat]').all()) {
    shown[(await element.getAttribute('data-stat'))!] =
      (await element.getAttribute('data-value')) ?? '';
  }
  return shown;
}

/** Waits until the figure `name` shows `value`. */
export async function waitForFigure(page: Page, name: string, value: string, timeout = 10_000) {
  await page.waitForFunction(
    `document.querySelector('[data-stat="${name}"]')?.getAttribute('data-value') === ${JSON.stringify(value)}`,
    undefined,
    { timeout },
  );
}

/**
 * Records every `securitypolicyviolation` the page's documents report (installed before any
 * page script, through the browser, not the page: the CSP does not apply to it).
 */
export async function recordCspViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(`
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI);
    });
  `);
  return () => page.evaluate<string[]>('window.__cspViolations ?? []');
}

/**
 * For the functional suites: Playwright evaluates string predicates (`waitForFunction('…')`)
 * with eval, which the dashboard's CSP rightly refuses. The policy itself is tested without
 * bypass in security-headers.e2e-spec.ts.
 */
export const BYPASS_CSP = true;
