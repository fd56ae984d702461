import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/query-rows.js';
import { chooseOption, chooseTreeNode, newPage, screenshotDir, signIn, startE2E, type E2E } from './harness.js';

let e2e: E2E;
const shots = screenshotDir();

beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.close();
});

describe('[ACCOUNTS] console', () => {
  it('[ACCOUNTS]: admin creates an account scoped to one district; the user signs in with the one-time password and sees only that subtree', async () => {
    const [district] = await queryRows<{ id: string; path: string }>(
      e2e.server.ctx.db,
      sql`SELECT id, path FROM org_unit WHERE name = '东渡海关'`,
    );
    const admin = await newPage(e2e);
    await signIn(admin, e2e.baseUrl, 'admin');
    await admin.getByTestId('main-nav').getByText('账号管理').click();
    await admin.getByTestId('account-row').first().waitFor();
    await admin.screenshot({ path: `${shots}/accounts.png` });

    await admin.getByTestId('create-account').click();
    await admin.getByTestId('account-username').fill('hr.e2e');
    await admin.getByTestId('account-display-name').fill('东渡人事（测试）');
    await chooseOption(admin, admin.getByTestId('grant-role-0'), '人事干部');
    await chooseTreeNode(admin, admin.getByTestId('grant-unit-0'), '东渡海关', '东渡海关');
    await admin.screenshot({ path: `${shots}/account-form.png` });
    await admin.getByTestId('account-form-save').click();
    // Creating the account hashes its password (scrypt) and writes grants and audit in one transaction.
    const otp = (await admin.getByTestId('otp-value').textContent({ timeout: 60_000 }))!.trim();
    expect(otp).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    await admin.screenshot({ path: `${shots}/account-otp.png` });
    await admin.getByRole('button', { name: '我已复制' }).click();
    await expect.poll(() => admin.getByTestId('accounts-table').textContent()).toContain('hr.e2e');

    // An edit of name and role is one request: both saved, one audit entry.
    await admin.getByTestId('account-row').filter({ hasText: 'hr.e2e' }).getByTestId('account-open').click();
    await admin.getByTestId('account-display-name').fill('东渡人事（已改）');
    await chooseOption(admin, admin.getByTestId('grant-role-0'), '单位负责人');
    await admin.getByTestId('account-form-save').click();
    await admin.getByTestId('account-form').waitFor({ state: 'hidden' });
    await expect.poll(() => admin.getByTestId('accounts-table').textContent()).toContain('东渡人事（已改）');
    const edits = await queryRows<{ action: string; role: string }>(
      e2e.server.ctx.db,
      sql`SELECT a.action, a.after->'grants'->0->>'role' AS role FROM audit_log a JOIN app_user u ON u.id = a.entity_id
        WHERE u.username = 'hr.e2e' AND a.action IN ('update', 'grants_replace')`,
    );
    expect(edits).toEqual([{ action: 'update', role: 'unit_head' }]);
    // Back to the HR role the rest of this test signs in with.
    await admin.getByTestId('account-row').filter({ hasText: 'hr.e2e' }).getByTestId('account-open').click();
    await chooseOption(admin, admin.getByTestId('grant-role-0'), '人事干部');
    await admin.getByTestId('account-form-save').click();
    await admin.getByTestId('account-form').waitFor({ state: 'hidden' });
    await admin.context().close();

    // The new user: the one-time password opens only the password form.
    const user = await newPage(e2e);
    await user.goto(`${e2e.baseUrl}/login`);
    await user.locator('#login_username').fill('hr.e2e');
    await user.locator('#login_password').fill(otp);
    await user.getByTestId('login-submit').click();
    await user.getByTestId('change-password-card').waitFor();
    expect(await user.getByTestId('main-nav').count()).toBe(0);
    await user.locator('#change-password_currentPassword').fill(otp);
    await user.locator('#change-password_newPassword').fill('dongdu harbour 2025');
    await user.locator('#change-password_confirmPassword').fill('dongdu harbour 2025');
    await user.screenshot({ path: `${shots}/password-forced.png` });
    await user.getByTestId('change-password-submit').click();
    // scrypt twice (check, then hash) and the console's first load: slow on a loaded 2-core machine.
    await user.getByTestId('main-nav').waitFor({ timeout: 60_000 });
    expect(await user.getByTestId('main-nav').textContent()).not.toContain('账号管理');

    await user.goto(`${e2e.baseUrl}/people`);
    await user.getByTestId('people-row').first().waitFor();
    // Everyone listed serves in or belongs to the district's subtree.
    const subtree = new Set(
      (await queryRows<{ id: string }>(e2e.server.ctx.db, sql`SELECT id FROM org_unit WHERE path LIKE ${district!.path + '%'}`)).map((r) =>
        String(r.id),
      ),
    );
    const listed = await user.evaluate(async () => {
      const res = await fetch('/api/people?limit=200');
      return (await res.json()) as { items: { unitId: string; homeUnitId: string }[]; total: number };
    });
    expect(listed.items.length).toBeGreaterThan(0);
    expect(listed.items.every((p) => subtree.has(p.unitId) || subtree.has(p.homeUnitId))).toBe(true);
    const [inScope] = await queryRows<{ n: number }>(
      e2e.server.ctx.db,
      sql`SELECT count(*)::int AS n FROM person WHERE unit_id IN (SELECT id FROM org_unit WHERE path LIKE ${district!.path + '%'})
        OR home_unit_id IN (SELECT id FROM org_unit WHERE path LIKE ${district!.path + '%'})`,
    );
    expect(listed.total).toBe(inScope!.n);
    await user.screenshot({ path: `${shots}/accounts-new-user-people.png` });
    await user.context().close();
  });

  it('[ACCOUNTS]: the accounts list and the password form read well at tablet width', async () => {
    const page = await newPage(e2e, { width: 820, height: 1180 });
    await signIn(page, e2e.baseUrl, 'admin');
    await page.goto(`${e2e.baseUrl}/accounts`);
    await page.getByTestId('account-row').first().waitFor();
    await page.screenshot({ path: `${shots}/accounts-tablet.png` });
    await page.goto(`${e2e.baseUrl}/me`);
    await page.getByTestId('change-password-card').waitFor();
    await page.screenshot({ path: `${shots}/me-password-tablet.png` });
    await page.context().close();
  });
});
