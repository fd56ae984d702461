import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/query-rows.js';
import { chooseOption, newPage, screenshotDir, signIn, startE2E, type E2E } from './harness.js';

let e2e: E2E;
const shots = screenshotDir();

beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.close();
});

describe('[REGISTRY] console', () => {
  it('[REGISTRY]: HR officer signs in and sees the dashboard of their district', async () => {
    const page = await newPage(e2e);
    await signIn(page, e2e.baseUrl, 'hr.dongdu');
    await page.getByTestId('card-total').waitFor();
    await expect.poll(() => page.getByTestId('org-name').textContent()).toContain('厦门海关');
    await page.waitForTimeout(800); // charts animate in
    await page.screenshot({ path: `${shots}/dashboard.png` });
    await page.context().close();
  });

  it('[REGISTRY]: officer filters people by name and opens a profile', async () => {
    const page = await newPage(e2e);
    await signIn(page, e2e.baseUrl, 'admin');
    const [someone] = await queryRows<{ full_name: string; person_no: string }>(
      e2e.server.ctx.db,
      sql`SELECT full_name, person_no FROM person WHERE full_name ~ '^[一-龥]{3}$' ORDER BY person_no LIMIT 1 OFFSET 5`,
    );
    await page.goto(`${e2e.baseUrl}/people`);
    await page.getByTestId('people-row').first().waitFor();
    await page.screenshot({ path: `${shots}/people.png` });
    await page.locator('#filter-q').fill(someone!.full_name);
    await page.locator('#filter-q').press('Enter');
    await expect.poll(() => page.url()).toContain('q=');
    const row = page.getByTestId('people-row').filter({ hasText: someone!.person_no });
    await row.click();
    await expect.poll(() => page.getByTestId('profile-name').textContent()).toContain(someone!.full_name);
    await expect.poll(() => page.getByTestId('profile-person-no').textContent()).toBe(someone!.person_no);
    await page.screenshot({ path: `${shots}/profile.png` });
    await page.context().close();
  });

  it('[REGISTRY]: officer filters by a certificate type by its name, then narrows by an age band', async () => {
    const page = await newPage(e2e);
    await signIn(page, e2e.baseUrl, 'hr.dongdu');
    await page.goto(`${e2e.baseUrl}/people`);
    await page.getByTestId('people-row').first().waitFor();
    // The type offered first (most holders in this district) by its name, as the officer knows it.
    const types = await page.evaluate(
      async () => (await (await fetch('/api/certification-types')).json()) as { items: { code: string; name: string; holders: number }[] },
    );
    const top = types.items[0]!;
    expect(top.holders).toBeGreaterThan(0);
    await chooseOption(page, page.getByTestId('filter-certCode'), top.name);
    await expect.poll(() => page.url()).toContain(`certCode=${top.code}`);
    await expect.poll(() => page.getByTestId('active-filter-certCode').textContent()).toContain(top.name);
    // The count is written in the locale (1,046): compare digits.
    const total = async () => ((await page.getByTestId('people-total').textContent()) ?? '').replace(/\D/g, '');
    await expect.poll(total).toBe(String(top.holders));
    const band = page.getByTestId('age-band-30-39');
    const inBand = (await band.textContent())!.replace('30-39', '').replace(/\D/g, '');
    await band.click();
    await expect.poll(() => page.url()).toContain('ageMax=39');
    await expect.poll(total).toBe(inBand);
    await page.context().close();
  });

  it('[REGISTRY]: user switches the console to Vietnamese and to Chinese', async () => {
    const page = await newPage(e2e, undefined, 'en-US');
    await signIn(page, e2e.baseUrl, 'auditor');
    const nav = page.getByTestId('main-nav');
    await chooseOption(page, page.getByTestId('language-switcher'), 'Tiếng Việt');
    await expect.poll(() => nav.textContent()).toContain('Danh sách nhân sự');
    await expect.poll(() => nav.textContent()).toContain('Nhật ký kiểm toán');
    await chooseOption(page, page.getByTestId('language-switcher'), '简体中文');
    await expect.poll(() => nav.textContent()).toContain('人员名册');
    // The choice is stored on the account: a fresh sign-in comes back in Chinese.
    await page.context().close();
    const again = await newPage(e2e, undefined, 'en-US');
    await signIn(again, e2e.baseUrl, 'auditor');
    await expect.poll(() => again.getByTestId('main-nav').textContent()).toContain('审计日志');
    await again.context().close();
  });

  it("[REGISTRY]: unit head cannot reach another district's person by URL", async () => {
    const [outsider] = await queryRows<{ id: string }>(
      e2e.server.ctx.db,
      sql`SELECT p.id FROM person p JOIN org_unit u ON u.id = p.unit_id
        WHERE u.path NOT LIKE (SELECT path || '%' FROM org_unit WHERE name = '东渡海关')
          AND p.home_unit_id = p.unit_id AND p.unit_id <> (SELECT id FROM org_unit WHERE parent_id IS NULL)
        LIMIT 1`,
    );
    const page = await newPage(e2e);
    await signIn(page, e2e.baseUrl, 'head.dongdu');
    await page.goto(`${e2e.baseUrl}/people/${outsider!.id}`);
    await page.locator('.ant-result-404').waitFor();
    expect(await page.getByTestId('profile-name').count()).toBe(0);
    await page.context().close();
  });
});
