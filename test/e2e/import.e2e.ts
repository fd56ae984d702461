import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/query-rows.js';
import { makeChineseNationalId } from '../../src/modules/registry/national-id.js';
import { chooseOption, newPage, screenshotDir, signIn, startE2E, type E2E } from './harness.js';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  if (process.env.DEBUG_JOBS) {
    const jobs = await queryRows(
      e2e.server.ctx.db,
      sql`SELECT kind, status, attempts, created_at, started_at, finished_at, error FROM job ORDER BY created_at`,
    );
    console.log(JSON.stringify(jobs, null, 1));
  }
  await e2e?.close();
});

/**
 * A workbook the way an office keeps it: a notes sheet first, the register second, with Chinese
 * headers, dates as text and labels, not codes.
 */
async function writeSheet(path: string, rows: (string | number)[][]): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const notes = wb.addWorksheet('填表说明');
  notes.addRow(['说明']);
  notes.addRow(['第二张表为花名册，每人一行']);
  const ws = wb.addWorksheet('花名册');
  ws.addRow(['工号', '姓名', '单位代码', '出生日期', '性别', '学历', '身份证号']);
  for (const r of rows) ws.addRow(r);
  await wb.xlsx.writeFile(path);
}

/** The same screen at tablet width (portrait), whole page, then back to the desktop size. */
async function tabletScreenshot(page: Page, name: string): Promise<void> {
  const desktop = page.viewportSize();
  await page.setViewportSize({ width: 820, height: 1180 });
  await siderSettled(page);
  await page.screenshot({ path: `${screenshotDir()}/${name}`, fullPage: true }).catch(() => undefined);
  if (desktop) {
    await page.setViewportSize(desktop);
    await siderSettled(page);
  }
}

/**
 * After a resize the navigation collapses or expands with an animation (AntD's Sider follows the
 * `lg` breakpoint, 992 px), and the sticky sider takes the new height: a screenshot taken at once
 * shows it half-way. Waits until it is in the state the width calls for, no transition is running,
 * and it is as tall as the window. Checking the state, not a width, keeps the first frames after the
 * resize (old width, nothing animating yet) from passing.
 */
async function siderSettled(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const sider = document.querySelector('aside.ant-layout-sider');
      if (!sider) return false;
      const collapsed = sider.classList.contains('ant-layout-sider-collapsed');
      return (
        collapsed === window.innerWidth < 992 &&
        sider.getAnimations().length === 0 &&
        Math.abs(sider.getBoundingClientRect().height - window.innerHeight) < 1
      );
    },
    undefined,
    { polling: 'raf', timeout: 10_000 },
  );
}

/** The register is the second sheet: choose it, and its headers are read and mapped again. */
async function chooseRegister(page: Page, rows: number): Promise<void> {
  // The first sheet (notes) maps nothing required.
  await page.getByTestId('mapping-missing').waitFor();
  await chooseOption(page, page.getByTestId('import-sheet'), `花名册（约 ${rows} 行）`);
  await page.getByTestId('mapping-table').getByText('工号', { exact: true }).waitFor();
  await expect.poll(() => page.getByTestId('mapping-missing').count()).toBe(0);
  // Screenshots follow (chooseOption has let the sheet list close): let the dry-run button settle first.
  await expect.poll(() => page.getByTestId('start-dry-run').isEnabled()).toBe(true);
}

describe('[REGISTRY] import', () => {
  it('[REGISTRY]: officer imports a spreadsheet with bad rows, reads the report, fixes it and commits', async () => {
    const db = e2e.server.ctx.db;
    const [unit] = await queryRows<{ code: string }>(
      db,
      sql`SELECT u.code FROM org_unit u WHERE u.path LIKE (SELECT path || '%' FROM org_unit WHERE name = '东渡海关') AND u.depth = 3 ORDER BY u.code LIMIT 1`,
    );
    const id = (n: number) => makeChineseNationalId('350203', '1991-04-0' + n, n);
    const good = (n: number, birth: string): (string | number)[] => [`IMP00${n}`, `导入测试${n}`, unit!.code, birth, '女', '本科', id(n)];
    const dir = mkdtempSync(join(tmpdir(), 'muster-import-'));
    const bad = join(dir, 'roster-with-errors.xlsx');
    const fixed = join(dir, 'roster-fixed.xlsx');
    await writeSheet(bad, [
      good(1, '1991-04-01'),
      [...good(2, '1991-13-45')],
      good(3, '1991-04-03'),
      [`IMP004`, '导入测试4', 'NO-SUCH-UNIT', '1991-04-04', '男', '本科', id(4)],
    ]);
    await writeSheet(fixed, [good(1, '1991-04-01'), good(2, '1991-04-02'), good(3, '1991-04-03'), good(4, '1991-04-04')]);

    const page = await newPage(e2e);
    await signIn(page, e2e.baseUrl, 'hr.dongdu');
    await page.goto(`${e2e.baseUrl}/import`);
    await page.locator('input[type=file]').setInputFiles(bad);
    await chooseRegister(page, 4);
    await page.screenshot({ path: `${screenshotDir()}/import-mapping.png` }).catch(() => undefined);
    await tabletScreenshot(page, 'import-mapping-tablet.png');
    // The mapping made for this sheet is saved, to be loaded for the fixed file.
    await page.getByTestId('save-mapping').click();
    await page.locator('#save-mapping_name').fill('花名册模板');
    await page.locator('.ant-modal .ant-btn-primary').click();
    await page.locator('.ant-modal').waitFor({ state: 'hidden' });
    await page.getByTestId('start-dry-run').click();
    const errors = page.getByTestId('import-errors');
    await errors.waitFor({ timeout: 60_000 });
    const text = (await errors.textContent()) ?? '';
    expect(text).toContain('1991-13-45');
    expect(text).toContain('NO-SUCH-UNIT');
    expect(await errors.locator('tbody tr.ant-table-row').count()).toBe(2);
    await expect.poll(() => page.getByTestId('start-commit').isDisabled()).toBe(true);
    expect(await page.getByTestId('import-report-sheet').textContent()).toContain('花名册');
    await page.screenshot({ path: `${screenshotDir()}/import-report.png` }).catch(() => undefined);
    await tabletScreenshot(page, 'import-report-tablet.png');
    const [{ n: before }] = (await queryRows<{ n: number }>(
      db,
      sql`SELECT count(*)::int AS n FROM person WHERE person_no LIKE 'IMP%'`,
    )) as [{ n: number }];
    expect(before).toBe(0);

    await page.getByRole('button', { name: /重新开始|Start over/ }).click();
    await page.locator('input[type=file]').setInputFiles(fixed);
    // The saved mapping, loaded while the notes sheet is shown, maps nothing there; on the register it applies again.
    await chooseOption(page, page.getByTestId('load-mapping'), '花名册模板');
    await chooseRegister(page, 4);
    await page.getByTestId('start-dry-run').click();
    await page.getByTestId('import-summary').waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByTestId('start-commit').isEnabled()).toBe(true);
    await page.getByTestId('start-commit').click();
    await page.locator('.ant-popconfirm .ant-btn-primary').click();
    await page
      .getByTestId('import-done')
      .waitFor({ timeout: 60_000 })
      .catch(async (err: unknown) => {
        await page.screenshot({ path: `${screenshotDir()}/import-failure.png` });
        throw err;
      });
    const rows = await queryRows<{ person_no: string; education_level: string; gender: string }>(
      db,
      sql`SELECT person_no, education_level, gender FROM person WHERE person_no LIKE 'IMP%' ORDER BY person_no`,
    );
    expect(rows.map((r) => r.person_no)).toEqual(['IMP001', 'IMP002', 'IMP003', 'IMP004']);
    expect(rows.every((r) => r.education_level === 'bachelor' && r.gender === 'female')).toBe(true);
    const [job] = await queryRows<{ sheet: string; result_sheet: string }>(
      db,
      sql`SELECT payload->>'sheet' AS sheet, result->>'sheet' AS result_sheet FROM job WHERE kind = 'import.commit' ORDER BY created_at DESC LIMIT 1`,
    );
    expect(job).toEqual({ sheet: '花名册', result_sheet: '花名册' });
    await page.context().close();
  });
});
