// Takes screenshots of the console for review and for the README.
// Usage: node web/scripts/screenshots.mjs <baseUrl> <outDir> [user] [steps...]
// A step is "path" or "path@wxh"; the browser signs in first (password muster-demo).
import { chromium } from 'playwright-core';
import { execSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

const [base = 'http://localhost:3100', out = '/tmp/shots', user = 'admin', ...steps] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
const executablePath = process.env.CHROMIUM ?? execSync('which chromium').toString().trim();
const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
const lang = process.env.LANG_UI ?? 'zh-CN';
const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: lang });
const page = await ctx.newPage();
page.on('pageerror', (e) => console.error('pageerror', e.message));
page.on('console', (m) => m.type() === 'error' && console.error('console', m.text()));
await page.goto(`${base}/login`);
await page.evaluate((l) => localStorage.setItem('muster.lang', l), lang);
if (user !== '-') {
  await page.goto(`${base}/login`);
  await page.locator('#login_username').fill(user);
  await page.locator('#login_password').fill('muster-demo');
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 15000 });
}
for (const step of steps.length ? steps : ['/dashboard']) {
  const [path, size] = step.split('@');
  const [w, h] = (size ?? '1280x800').split('x').map(Number);
  await page.setViewportSize({ width: w, height: h });
  await page.goto(`${base}${path}`);
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(Number(process.env.SETTLE ?? 800));
  const name = `${path.replace(/[^a-z0-9]+/gi, '_').replace(/^_|_$/g, '') || 'root'}-${w}x${h}.png`;
  await page.screenshot({ path: `${out}/${name}`, fullPage: process.env.FULL === '1' });
  console.log(`${out}/${name}`);
}
await browser.close();
