import { execFileSync } from 'node:child_process';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { SystemClock } from '@ttfd/clock';
import { RoleGatewayRegistry } from '@ttfd/sync';
import { InMemoryRoleGateway } from '@ttfd/sync/testing';
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
/** Every page's screenshots of a run (git-ignored); docs/images/dashboard holds the committed set. */
export const SCREENSHOTS = join(ROOT, 'test', 'dashboard', 'screenshots');

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
/**
 * How long a page may take to show what a step waits for: a ceiling for a stalled CI machine
 * (waits of 10 s timed out while it stalled); a page that is ready returns at once.
 */
export const UI_WAIT_MS = 30_000;

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
  options: TestAppOptions & {
    people?: number;
    settleMs?: number;
    /** Runs between the app's start and the seed (e.g. mappings a fake guild lacks). */
    beforeSeed?: (t: TestApp) => Promise<void>;
  } = {},
): Promise<DashboardWorld> {
  ensureDashboardBuilt();
  const t = await startTestApp({ clock: new SystemClock(), ...options });
  const gateway = new InMemoryRoleGateway();
  const people = options.people ?? 12;
  for (const id of demoDiscordIds(people)) gateway.setMember(id);
  t.app.get(RoleGatewayRegistry).register(gateway);
  await options.beforeSeed?.(t);
  const community = await seedDemoCommunity(t.app, { people, settleMs: options.settleMs });
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
export async function waitForFigure(page: Page, name: string, value: string, timeout = UI_WAIT_MS) {
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

/**
 * Walks every visible text node of the page and returns each word whose range has more than
 * one line box (`Range.getClientRects()` on distinct lines): a word broken in two, like
 * "comple|ted" or "+1|61". A compound's hyphen between letters ("mini-game") is a word
 * boundary, as in print; a number's sign or digits never are. Text inside <pre> (payloads,
 * which scroll instead) and <option> (not laid out) is left out.
 */
export function splitWords(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`(() => {
    const found = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest('pre, option, script, style, select')) continue;
      const text = node.textContent || '';
      for (const match of text.matchAll(/\\S+/g)) {
        let offset = match.index;
        for (const part of match[0].split(/(?<=\\p{L}-)(?=\\p{L})/u)) {
          const range = document.createRange();
          range.setStart(node, offset);
          range.setEnd(node, offset + part.length);
          offset += part.length;
          const tops = new Set();
          for (const rect of range.getClientRects()) {
            if (rect.width > 0 && rect.height > 0) tops.add(Math.round(rect.top));
          }
          if (tops.size > 1) found.push(part);
        }
      }
    }
    return found;
  })()`);
}

/**
 * Words on screen that are codes rather than words: snake_case (discord_message, first_win),
 * dotted event types (xp.changed) and camelCase keys (unknownMembers). Hidden elements,
 * <pre> payloads, form values and <option> values are not visible text and are left out.
 */
export function rawCodes(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`(() => {
    const found = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const code = /^[a-z]+(?:_[a-z0-9]+)+$|^[a-z]+\\.[a-z]+(?:\\.[a-z]+)*$|^[a-z]+[A-Z][A-Za-z]+$/;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest('pre, script, style, select')) continue;
      if (!parent.getClientRects().length) continue;
      for (const word of (node.textContent || '').split(/[\\s,;:()"'«»]+/)) {
        const bare = word.replace(/[.?!]+$/, '');
        if (code.test(bare) && !/\\.(org|com|net|io)$/.test(bare)) found.push(bare);
      }
    }
    return found;
  })()`);
}

/** A Bot API: getMe names the login widget's bot; everything else (notices) is accepted. */
export async function fakeBotApi(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify(
        req.url?.endsWith('/getMe')
          ? {
              ok: true,
              result: { id: 1, is_bot: true, first_name: 'TTFD', username: 'ttfd_test_bot' },
            }
          : // sendMessage and the like (rank-up notices of the seed): accepted.
            { ok: true, result: { message_id: 1, date: 0, chat: { id: 1, type: 'private' } } },
      ),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
