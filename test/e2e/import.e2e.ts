import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/query-rows.js';
import { makeChineseNationalId } from '../../src/modules/registry/national-id.js';
import { newPage, signIn, startE2E, type E2E } from './harness.js';

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

/** A spreadsheet the way an office keeps it: Chinese headers, dates as text, labels not codes. */
async function writeSheet(path: string, rows: (string | number)[][]): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('花名册');
  ws.addRow(['工号', '姓名', '单位代码', '出生日期', '性别', '学历', '身份证号']);
  for (const r of rows) ws.addRow(r);
  await wb.xlsx.writeFile(path);
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
    await page.getByTestId('start-dry-run').click();
    const errors = page.getByTestId('import-errors');
    await errors.waitFor({ timeout: 60_000 });
    const text = (await errors.textContent()) ?? '';
    expect(text).toContain('1991-13-45');
    expect(text).toContain('NO-SUCH-UNIT');
    expect(await errors.locator('tbody tr.ant-table-row').count()).toBe(2);
    await expect.poll(() => page.getByTestId('start-commit').isDisabled()).toBe(true);
    await page.screenshot({ path: 'test-results/screenshots/import-report.png' }).catch(() => undefined);
    const [{ n: before }] = (await queryRows<{ n: number }>(
      db,
      sql`SELECT count(*)::int AS n FROM person WHERE person_no LIKE 'IMP%'`,
    )) as [{ n: number }];
    expect(before).toBe(0);

    await page.getByRole('button', { name: /重新开始|Start over/ }).click();
    await page.locator('input[type=file]').setInputFiles(fixed);
    await page.getByTestId('start-dry-run').click();
    await page.getByTestId('import-summary').waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByTestId('start-commit').isEnabled()).toBe(true);
    await page.getByTestId('start-commit').click();
    await page.locator('.ant-popconfirm .ant-btn-primary').click();
    await page
      .getByTestId('import-done')
      .waitFor({ timeout: 60_000 })
      .catch(async (err: unknown) => {
        await page.screenshot({ path: 'test-results/screenshots/import-failure.png' });
        throw err;
      });
    const rows = await queryRows<{ person_no: string; education_level: string; gender: string }>(
      db,
      sql`SELECT person_no, education_level, gender FROM person WHERE person_no LIKE 'IMP%' ORDER BY person_no`,
    );
    expect(rows.map((r) => r.person_no)).toEqual(['IMP001', 'IMP002', 'IMP003', 'IMP004']);
    expect(rows.every((r) => r.education_level === 'bachelor' && r.gender === 'female')).toBe(true);
    await page.context().close();
  });
});
