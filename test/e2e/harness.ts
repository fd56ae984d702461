import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { expect } from 'vitest';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { loadConfig } from '../../src/server/config.js';
import { startServer, type RunningServer } from '../../src/server/start.js';

export const DEMO_PASSWORD = 'muster-demo';

/**
 * Where screenshots go: docs/screenshots when UPDATE_SCREENSHOTS=1 (the README's pictures),
 * otherwise test-results/screenshots. Created on first use.
 */
export function screenshotDir(): string {
  const dir = process.env.UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : 'test-results/screenshots';
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Debian's Chromium; the browser tests never download a browser of their own. */
export function chromiumPath(): string | null {
  for (const p of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (p && existsSync(p)) return p;
  }
  return null;
}

export type E2E = { server: RunningServer; baseUrl: string; browser: Browser; close: () => Promise<void> };

/**
 * A real server (built console, demo data, fresh database: PGlite in a temp folder, or a new
 * PostgreSQL database when DATABASE_URL is set) and a real headless Chromium.
 */
export async function startE2E(): Promise<E2E> {
  const dataDir = mkdtempSync(join(tmpdir(), 'muster-e2e-'));
  // The console under test is built from the sources of this run (CI has just built web/dist: reuse it).
  const webDist = process.env.CI === 'true' && existsSync('web/dist/index.html') ? 'web/dist' : join(dataDir, 'web');
  if (webDist !== 'web/dist')
    execFileSync('npx', ['vite', 'build', 'web', '--outDir', webDist, '--emptyOutDir', '--logLevel', 'warn'], { stdio: 'inherit' });
  let dropDb: (() => Promise<void>) | null = null;
  let databaseUrl: string | undefined;
  if (process.env.DATABASE_URL) {
    const name = `muster_t_e2e_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(process.env.DATABASE_URL);
    u.pathname = `/${name}`;
    databaseUrl = u.toString();
    dropDb = async () => {
      const a = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    };
  }
  const config = {
    ...loadConfig({ MUSTER_DATA_DIR: dataDir, MUSTER_DEMO_PEOPLE: '800', MUSTER_WEB_DIST: webDist }),
    port: 0,
    host: '127.0.0.1',
    databaseUrl,
  };
  const server = await startServer(config);
  const browser = await chromium.launch({
    executablePath: chromiumPath()!,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
  return {
    server,
    baseUrl: server.url.replace('0.0.0.0', '127.0.0.1'),
    browser,
    close: async () => {
      await browser.close();
      await server.close();
      await dropDb?.();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function newPage(e2e: E2E, viewport = { width: 1280, height: 800 }, locale = 'zh-CN'): Promise<Page> {
  const context = await e2e.browser.newContext({ viewport, locale, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return page;
}

export async function signIn(page: Page, baseUrl: string, username: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.locator('#login_username').fill(username);
  await page.locator('#login_password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('main-nav').waitFor();
}

/** AntD's select lists that are open or still closing. */
const OPEN_LISTS = '.ant-select-dropdown:not(.ant-select-dropdown-hidden)';

/**
 * Opens a select and picks from its list (`pick`) until the select shows the choice (`shown`) and no
 * list is left open or closing (several can be mid-animation at once, so counted), so the next step
 * or screenshot sees the page a person would. A person whose pick did not take would simply try
 * again, and so does this, three times.
 */
async function pickUntilShown(page: Page, trigger: Locator, shown: Locator, pick: (open: Locator) => Promise<void>): Promise<void> {
  const open = page.locator(OPEN_LISTS);
  for (let attempt = 1; ; attempt++) {
    try {
      await trigger.click();
      await pick(open);
      await shown.waitFor({ timeout: 5_000 });
      await expect.poll(() => open.count(), { timeout: 10_000 }).toBe(0);
      return;
    } catch (e) {
      if (attempt === 3) throw e;
      await page.keyboard.press('Escape');
    }
  }
}

/**
 * Opens an AntD Select and clicks the option with this label in the dropdown that is open now, until
 * the Select shows it. Why not getByRole('option'): AntD's virtual list gives the role only to a
 * zero-size accessibility copy of the options next to the active one. Why retry: a re-render in
 * flight when the trigger is clicked (the account's language applied just after sign-in, say) can
 * close the dropdown again before the option is reached.
 */
export async function chooseOption(page: Page, trigger: Locator, label: string): Promise<void> {
  await pickUntilShown(page, trigger, trigger.getByText(label, { exact: true }), (open) =>
    open.locator('.ant-select-item-option', { has: page.getByText(label, { exact: true }) }).click({ timeout: 5_000 }),
  );
}

/**
 * Picks a node of a searchable tree select the way a person does: open it, type to filter, click the
 * node, and see it shown as the value (the typed filter is an input's value, not text, so only the
 * choice shows as text). Under load the click can land while the filtered tree is still being laid
 * out and select nothing: the typed text stays and the list stays open.
 */
export async function chooseTreeNode(page: Page, trigger: Locator, search: string, title: string): Promise<void> {
  await pickUntilShown(page, trigger, trigger.getByText(title, { exact: true }), async (open) => {
    await page.keyboard.type(search);
    await open.locator('.ant-select-tree-title', { hasText: new RegExp(`^${title}$`) }).click({ timeout: 5_000 });
  });
}
