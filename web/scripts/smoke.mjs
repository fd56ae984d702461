// Drives the console through its main flows and prints what it saw; screenshots go to the out dir.
// Usage: node web/scripts/smoke.mjs <baseUrl> <outDir>
import { chromium } from 'playwright-core';
import { execSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

const [base = 'http://localhost:4173', out = '/tmp/smoke'] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
const executablePath = process.env.CHROMIUM ?? execSync('which chromium').toString().trim();
const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US', acceptDownloads: true });
const page = await ctx.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(e.message));
const step = async (name, fn) => {
  try {
    await fn();
    console.log('ok  ', name);
  } catch (e) {
    console.log('FAIL', name, e.message.split('\n')[0]);
    await page.screenshot({ path: `${out}/fail-${name.replace(/\W+/g, '_')}.png` });
  }
};

await step('wrong password shows error', async () => {
  await page.goto(`${base}/people`);
  await page.waitForURL(/\/login/);
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel('Password').fill('nope');
  await page.getByLabel('Password').press('Enter');
  await page.getByTestId('login-error').waitFor();
});
await step('sign in returns to /people', async () => {
  await page.getByLabel('Password').fill('muster-demo');
  await page.getByTestId('login-submit').click();
  await page.waitForURL(/\/people/);
  await page.getByTestId('people-row').first().waitFor();
});
await step('switch language to English keeps working', async () => {
  const lang = await page.locator('html').getAttribute('lang');
  if (lang !== 'en') {
    await page.getByTestId('language-switcher').click();
    await page.getByTitle('English').click();
  }
  await page.getByText('People', { exact: true }).first().waitFor();
});
await step('sort by staff number and page forward/back', async () => {
  await page.getByRole('columnheader', { name: /Staff number/ }).click();
  await page.waitForURL(/sort=personNo/);
  await page.waitForLoadState('networkidle');
  const first = await page.getByTestId('people-row').first().innerText();
  await page.getByTestId('page-next').click();
  await page.getByText('Page 2').waitFor();
  await page.waitForFunction((f) => document.querySelector('[data-testid=people-row]')?.innerText !== f, first);
  await page.getByTestId('page-prev').click();
  await page.getByText('Page 1').waitFor();
});
await step('facet filter updates URL and total', async () => {
  const before = await page.getByTestId('people-total').innerText();
  await page.getByTestId('filter-educationLevel').getByText('Doctorate').click();
  await page.waitForURL(/educationLevel=doctorate/);
  await page.waitForFunction((b) => document.querySelector('[data-testid=people-total]')?.innerText !== b, before);
  console.log('     total', before, '->', await page.getByTestId('people-total').innerText());
  await page.goBack();
  await page.waitForURL((u) => !u.search.includes('educationLevel'));
});
await step('dashboard chart click drills into people', async () => {
  await page.goto(`${base}/dashboard`);
  await page.getByTestId('card-rotation').click();
  await page.waitForURL(/tenureMinYears=/);
  await page.getByTestId('people-total').waitFor();
  console.log('     ', page.url().replace(base, ''), await page.getByTestId('people-total').innerText());
});
let profileUrl = '';
await step('open profile, reveal national ID after confirm', async () => {
  await page.getByTestId('people-row').first().click();
  await page.getByTestId('profile-header').waitFor();
  profileUrl = page.url();
  const masked = await page.getByTestId('national-id').innerText();
  await page.getByTestId('reveal-national-id').click();
  await page.getByText('This read is logged').waitFor();
  await page.getByRole('button', { name: 'Reveal' }).last().click();
  await page.waitForFunction((m) => document.querySelector('[data-testid=national-id]')?.textContent !== m, masked);
  console.log('     ', masked, '->', await page.getByTestId('national-id').innerText());
});
await step('edit form shows server field error beside the field', async () => {
  await page.getByTestId('profile-edit').click();
  await page.getByTestId('person-form').waitFor();
  const email = page.getByLabel('Email');
  await email.fill('');
  // A duplicate staff number is only caught by the server.
  await page.getByLabel('Staff number').fill('XM000001');
  await page.getByTestId('person-form-save').click();
  await page.locator('.ant-form-item-explain-error').first().waitFor();
  console.log('     ', (await page.locator('.ant-form-item-explain-error').allInnerTexts()).join(' | '));
  await page.screenshot({ path: `${out}/edit-error.png` });
  await page.keyboard.press('Escape');
});
await step('add and remove a certification', async () => {
  await page.goto(`${profileUrl.split('?')[0]}?tab=certifications`);
  await page.getByTestId('add-certification').click();
  await page.getByLabel('Code').fill('smoke_cert');
  await page.getByLabel('Name', { exact: true }).fill('Smoke test certificate');
  await page.getByLabel('Issued on').fill('2020-01-01');
  await page.getByLabel('Expires on').fill('2021-01-01');
  await page.getByLabel('Expires on').press('Tab');
  await page.locator('.ant-modal').getByRole('button', { name: 'Save' }).click();
  await page.getByText('Smoke test certificate').first().waitFor();
  const row = page.locator('tr', { hasText: 'Smoke test certificate' }).first();
  console.log('     validity:', await row.getByTestId('cert-validity').innerText());
  await row.getByRole('button', { name: 'Remove' }).click();
  await page.getByRole('button', { name: 'Remove' }).last().click();
  await page.locator('.ant-message-success').last().waitFor();
});
await step('audit tab lists the reveal', async () => {
  await page.goto(`${profileUrl.split('?')[0]}?tab=audit`);
  await page.getByTestId('audit-table').getByText('Sensitive read').first().waitFor();
});
await step('units: create, rename, delete a sub-unit', async () => {
  await page.goto(`${base}/units`);
  await page.getByTestId('unit-add-child').click();
  await page.getByLabel('Name', { exact: true }).fill('Smoke section');
  await page.getByLabel('Code').fill(`SMK${Date.now() % 100000}`);
  await page.getByLabel('Code').press('Enter');
  await page.getByTestId('unit-detail').getByText('Smoke section').first().waitFor();
  await page.getByTestId('unit-rename').click();
  await page.getByLabel('Name', { exact: true }).fill('Smoke section 2');
  await page.getByLabel('Name', { exact: true }).press('Enter');
  await page.getByTestId('unit-detail').getByText('Smoke section 2').first().waitFor();
  await page.getByTestId('unit-delete').click();
  await page.locator('.ant-popconfirm').getByRole('button', { name: 'Delete' }).click();
  await page.getByTestId('unit-detail').getByText('Smoke section 2').waitFor({ state: 'detached' });
});
await step('staff self-service proposal', async () => {
  await page.getByTestId('user-menu').click();
  await page.getByText('Sign out').click();
  await page.waitForURL(/\/login/);
  await page.locator('#login_username').fill('staff');
  await page.locator('#login_password').fill('muster-demo');
  await page.locator('#login_password').press('Enter');
  await page.waitForURL(/\/me/);
  // The staff account's saved language (zh-CN) now applies: drive the form by ids.
  await page.locator('#propose_phone').fill('13800000000');
  await page.getByTestId('propose-submit').click();
  await page.locator('.ant-result-success').waitFor();
  await page.screenshot({ path: `${out}/me.png` });
});
await step('HR officer approves it', async () => {
  await page.getByTestId('user-menu').click();
  await page.locator('.ant-dropdown-menu-item-danger').click();
  await page.locator('#login_username').fill('hr.dongdu');
  await page.locator('#login_password').fill('muster-demo');
  await page.locator('#login_password').press('Enter');
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  await page.goto(`${base}/approvals`);
  const row = page.locator('tr', { hasText: '13800000000' }).first();
  await row.waitFor();
  await row.getByTestId('approve').click();
  await page.locator('.ant-popconfirm .ant-btn-primary').click();
  await page.locator('.ant-message-success').waitFor();
  await page.screenshot({ path: `${out}/approved.png` });
});
console.log('page errors:', errors.length ? errors : 'none');
await browser.close();
