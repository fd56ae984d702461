import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportMapping, ImportUploadResponse } from '../../../contracts/import.js';
import type { Database } from '../../../db/connection.js';
import { queryRows } from '../../../db/query-rows.js';
import { buildTestApp, countAudit, newPerson, newUser, seedSmallOrg, signIn, type Session } from '../../../../test/support/factories.js';
import { createTestDatabase } from '../../../../test/support/test-db.js';
import { makeChineseNationalId, maskNationalId } from '../national-id.js';
import { GENERATED_HEADERS, generatePersonRow } from './generate-people-xlsx.js';
import { jsonParam, type StoredReport } from './import.service.js';

type Org = Awaited<ReturnType<typeof seedSmallOrg>>;
let database: Database;
let harness: Awaited<ReturnType<typeof buildTestApp>>;
let org: Org;
let admin: Session;
let eastOfficer: Session;
let westPersonNo: string;

beforeAll(async () => {
  database = await createTestDatabase();
  harness = await buildTestApp(database);
  org = await seedSmallOrg(database.db);
  const u = org.units;
  westPersonNo = (await newPerson(database.db, org.orgId, u.westSec!.id, { fullName: '西区人员' })).personNo;
  admin = await signIn(harness.app, (await newUser(database.db, org.orgId, [{ role: 'admin', scopeUnitId: u.root!.id }])).username);
  eastOfficer = await signIn(
    harness.app,
    (await newUser(database.db, org.orgId, [{ role: 'hr_officer', scopeUnitId: u.east!.id }])).username,
  );
});

afterAll(async () => {
  await harness?.close();
  await database?.close();
});

// ------------------------------------------------------------------ helpers

type Cell = string | number | Date | null;

async function xlsxFile(rows: Cell[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * A workbook with several worksheets, in tab order. `tabOrder` reorders the tabs against the order
 * the sheets were added (their part numbers); `streaming` writes it with exceljs' streaming writer,
 * which stores the sheets before the shared strings and workbook.xml, as large exports do.
 */
async function workbook(
  sheets: [name: string, rows: Cell[][]][],
  opts: { tabOrder?: string[]; streaming?: boolean } = {},
): Promise<Buffer> {
  if (opts.streaming) {
    const chunks: Buffer[] = [];
    const { PassThrough } = await import('node:stream');
    const out = new PassThrough();
    out.on('data', (c: Buffer) => chunks.push(c));
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: true, useStyles: true });
    for (const [name, rows] of sheets) {
      const ws = wb.addWorksheet(name);
      for (const r of rows) ws.addRow(r).commit();
      ws.commit();
    }
    await wb.commit();
    return Buffer.concat(chunks);
  }
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of sheets) {
    const ws = wb.addWorksheet(name);
    for (const r of rows) ws.addRow(r);
  }
  opts.tabOrder?.forEach((name, i) => {
    (wb.getWorksheet(name) as unknown as { orderNo: number }).orderNo = i;
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const csvText = (rows: string[][]) =>
  rows.map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n') + '\r\n';

/** A multipart body built by hand: exactly what a browser's FormData sends, which @fastify/multipart parses under inject. */
function multipart(fileName: string, content: Buffer) {
  const boundary = `----muster${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { body: Buffer.concat([head, content, tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function upload(s: Session, fileName: string, content: Buffer): Promise<ImportUploadResponse> {
  const m = multipart(fileName, content);
  const res = await s.send('POST', '/api/imports', m.body, m.headers);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as ImportUploadResponse;
}

async function run(
  s: Session,
  uploadId: string,
  mode: 'dry-run' | 'commit',
  mapping: ImportMapping,
  lang = 'en',
): Promise<{ jobId: string; report: StoredReport }> {
  const res = await s.send('POST', `/api/imports/${uploadId}/${mode}?lang=${lang}`, { mapping });
  expect(res.statusCode, res.body).toBe(200);
  const { jobId } = res.json() as { jobId: string };
  const job = await harness.ctx.jobs.waitFor(jobId, 60_000);
  expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
  return { jobId, report: job.result as StoredReport };
}

async function people(personNos: string[]) {
  return queryRows<{
    person_no: string;
    full_name: string;
    version: number;
    unit_id: string;
    email: string | null;
    education_level: string | null;
    gender: string;
    specialties: string[];
    birth_date: string;
    id: string;
  }>(
    database.db,
    sql`SELECT id, person_no, full_name, version, unit_id, email, education_level, gender, specialties, birth_date::text AS birth_date
      FROM person WHERE org_id = ${org.orgId} AND person_no IN ${personNos} ORDER BY person_no`,
  );
}

const auditTotal = async () =>
  (await queryRows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM audit_log WHERE org_id = ${org.orgId}`))[0]!.n;

const ZH_HEADERS = ['工号', '姓名', '单位代码', '性别', '出生日期', '身份证号', '学历', '专业特长', '岗位代码', '邮箱'];
const natId = (seq: number) => makeChineseNationalId('350203', '1990-01-01', seq);

function goodRows(prefix: string): Cell[][] {
  return [
    ZH_HEADERS,
    [
      `${prefix}01`,
      '陈静',
      'eastSec',
      '女',
      new Date(Date.UTC(1990, 0, 1)),
      natId(101),
      '本科',
      '动物检疫；食品安全',
      'INSP',
      'chen@example.cn',
    ],
    [`${prefix}02`, 'Nguyễn Thị Hoa', 'eastPort', 'Nữ', '15/03/1988', natId(102), 'Đại học', 'plant_quarantine, Food safety', '', ''],
    [`${prefix}03`, 'John Smith', 'east', 'Male', '1979/12/31', '', 'Bachelor', '', '', 'john@example.org'],
    [`${prefix}04`, '黄伟', 'eastSec', '男', '1985.06.15', natId(104), '硕士研究生', '数据分析', 'INSP', ''],
  ];
}

// ------------------------------------------------------------------ tests

describe('upload and mapping', () => {
  it('lists the mappable fields with labels in the user language', async () => {
    const res = await admin.get('/api/imports/fields?lang=zh-CN');
    expect(res.statusCode).toBe(200);
    const fields = res.json() as { key: string; required: boolean; label: string }[];
    expect(fields.find((f) => f.key === 'personNo')).toMatchObject({ required: true, label: '工号' });
  });

  it('maps obvious zh, vi and en headers automatically, width-, case- and diacritic-insensitively', async () => {
    const zh = await upload(
      admin,
      'zh.xlsx',
      await xlsxFile([
        ['人员编号', '姓名', '所在单位代码', '身份证号码', '出生日期', '学历', '职称', '梯队'],
        ['1', '张三', 'east', '', '', '', '', ''],
      ]),
    );
    expect(zh).toMatchObject({ format: 'xlsx', encoding: null, rowCount: 1 });
    expect(zh.suggestedMapping).toEqual({
      人员编号: 'personNo',
      姓名: 'fullName',
      所在单位代码: 'unitCode',
      身份证号码: 'nationalId',
      出生日期: 'birthDate',
      学历: 'educationLevel',
      职称: 'titleLevel',
      梯队: 'echelon',
    });
    const vi = await upload(
      admin,
      'vi.csv',
      Buffer.from(
        csvText([
          ['Mã CB', 'Họ tên', 'Mã đơn vị', 'Số CCCD', 'Ngày sinh', 'Giới tính', 'Trình độ', 'Chuyên môn', 'NGOAI NGU'],
          ['1', 'A', 'east', '', '', '', '', '', ''],
        ]),
      ),
    );
    expect(vi.encoding).toBe('utf-8');
    expect(vi.suggestedMapping).toEqual({
      'Mã CB': 'personNo',
      'Họ tên': 'fullName',
      'Mã đơn vị': 'unitCode',
      'Số CCCD': 'nationalId',
      'Ngày sinh': 'birthDate',
      'Giới tính': 'gender',
      'Trình độ': 'educationLevel',
      'Chuyên môn': 'specialties',
      'NGOAI NGU': 'languages',
    });
    const en = await upload(
      admin,
      'en.csv',
      Buffer.from(
        '\uFEFF' +
          csvText([
            ['Staff No', 'NAME', 'Unit Code', 'DOB', 'Ｅｍａｉｌ', 'Notes'],
            ['1', 'A', 'east', '', '', ''],
          ]),
      ),
    );
    expect(en.encoding).toBe('utf-8-bom');
    expect(en.suggestedMapping).toEqual({
      'Staff No': 'personNo',
      NAME: 'fullName',
      'Unit Code': 'unitCode',
      DOB: 'birthDate',
      Ｅｍａｉｌ: 'email',
    });
  });

  it('refuses an unreadable file and a mapping without the required fields', async () => {
    const m = multipart('people.xlsx', Buffer.from('this is not a workbook'));
    const res = await admin.send('POST', '/api/imports', m.body, m.headers);
    expect(res.statusCode).toBe(400);
    expect((res.json() as { error: { code: string } }).error.code).toBe('import_unreadable');
    const up = await upload(
      admin,
      'x.csv',
      Buffer.from(
        csvText([
          ['工号', '姓名'],
          ['1', 'A'],
        ]),
      ),
    );
    const run = await admin.send('POST', `/api/imports/${up.uploadId}/dry-run`, { mapping: up.suggestedMapping });
    expect(run.statusCode).toBe(400);
    const details = (run.json() as { error: { details: { field: string; reason: string }[] } }).error.details;
    expect(details).toContainEqual(expect.objectContaining({ field: 'mapping.unitCode', reason: 'unmapped_required' }));
  });

  it('saves, lists and deletes mappings per organisation, with audit', async () => {
    const mapping = { 工号: 'personNo', 姓名: 'fullName', 单位代码: 'unitCode' } as ImportMapping;
    const created = await eastOfficer.send('POST', '/api/import-mappings', { name: '人事处模板', mapping });
    expect(created.statusCode).toBe(201);
    const id = (created.json() as { id: string }).id;
    expect((await eastOfficer.send('POST', '/api/import-mappings', { name: '人事处模板', mapping })).statusCode).toBe(409);
    const list = (await admin.get('/api/import-mappings')).json() as { items: { id: string; name: string; mapping: ImportMapping }[] };
    expect(list.items).toContainEqual(expect.objectContaining({ id, name: '人事处模板', mapping }));
    expect((await eastOfficer.send('DELETE', `/api/import-mappings/${id}`)).statusCode).toBe(204);
    expect((await admin.get('/api/import-mappings')).json()).toEqual({ items: [] });
    expect(await countAudit(database.db, { entityId: id })).toBe(2);
  });
});

describe('dry run, commit and re-import', () => {
  const prefix = 'IMP';
  let mapping: ImportMapping;

  it('reports two bad rows by row, column, value and reason in the requested language, and writes nothing', async () => {
    const rows = goodRows(prefix);
    rows[2]![4] = '1988-13-45';
    rows[4]![2] = 'nowhere';
    const up = await upload(admin, 'bad.xlsx', await xlsxFile(rows));
    mapping = up.suggestedMapping;
    expect(Object.keys(mapping)).toHaveLength(ZH_HEADERS.length);
    const before = await auditTotal();
    const { jobId, report } = await run(admin, up.uploadId, 'dry-run', mapping, 'zh-CN');
    expect(report).toMatchObject({ mode: 'dry_run', rows: 4, validRows: 2, errorRows: 2, toCreate: 2, committed: false });
    expect(report.errors).toEqual([
      expect.objectContaining({
        row: 3,
        column: '出生日期',
        field: 'birthDate',
        value: '1988-13-45',
        reason: 'invalid_date',
        message: '出生日期须为日期（YYYY-MM-DD）',
      }),
      expect.objectContaining({
        row: 5,
        column: '单位代码',
        field: 'unitCode',
        value: 'nowhere',
        reason: 'unknown_unit',
        message: '单位代码对应的单位不存在或不在您的管理范围内',
      }),
    ]);
    expect(await people([`${prefix}01`, `${prefix}02`])).toEqual([]);
    expect(await auditTotal()).toBe(before);

    // The report downloads as XLSX, worded in the downloader's language.
    const res = await admin.get(`/api/imports/${up.uploadId}/report?jobId=${jobId}&lang=vi`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.rowCount).toBe(3);
    expect(ws.getRow(1).values).toEqual([undefined, 'Dòng', 'Cột', 'Giá trị', 'Lý do']);
    expect(ws.name).toBe('Lỗi');
    expect(ws.getRow(2).values).toEqual([undefined, 3, '出生日期', '1988-13-45', 'Ngày sinh phải là ngày (YYYY-MM-DD)']);
    expect(String(ws.getRow(3).getCell(4).value)).toContain('Mã đơn vị');

    // Nobody else can download it.
    expect((await eastOfficer.get(`/api/imports/${up.uploadId}/report?jobId=${jobId}`)).statusCode).toBe(404);

    // A commit while errors exist applies nothing: the job succeeds with committed: false and the errors.
    const commit = await run(admin, up.uploadId, 'commit', mapping);
    expect(commit.report).toMatchObject({ mode: 'commit', committed: false, errorRows: 2 });
    expect(await people([`${prefix}01`, `${prefix}02`])).toEqual([]);
    expect(await auditTotal()).toBe(before);
  });

  it('commits the fixed file with vocab labels in any language, normalised dates and history', async () => {
    const up = await upload(admin, 'good.xlsx', await xlsxFile(goodRows(prefix)));
    const { report } = await run(admin, up.uploadId, 'commit', mapping);
    expect(report).toMatchObject({
      committed: true,
      rows: 4,
      validRows: 4,
      errorRows: 0,
      toCreate: 4,
      toUpdate: 0,
      unchanged: 0,
      errors: [],
    });
    const got = await people([`${prefix}01`, `${prefix}02`, `${prefix}03`, `${prefix}04`]);
    expect(got.map((p) => [p.person_no, p.gender, p.birth_date, p.education_level, p.specialties, p.version])).toEqual([
      [`${prefix}01`, 'female', '1990-01-01', 'bachelor', ['animal_quarantine', 'food_safety'], 1],
      [`${prefix}02`, 'female', '1988-03-15', 'bachelor', ['plant_quarantine', 'food_safety'], 1],
      [`${prefix}03`, 'male', '1979-12-31', 'bachelor', [], 1],
      [`${prefix}04`, 'male', '1985-06-15', 'master', ['data_analysis'], 1],
    ]);
    for (const p of got) {
      expect(await countAudit(database.db, { entityId: p.id, action: 'create' })).toBe(1);
      // One open assignment and one status change, both as the stored row says.
      const [history] = await queryRows<{ open: number; matching: number; statuses: number }>(
        database.db,
        sql`SELECT (SELECT count(*)::int FROM assignment WHERE person_id = p.id AND end_date IS NULL) AS open,
            (SELECT count(*)::int FROM assignment a WHERE a.person_id = p.id AND a.end_date IS NULL AND a.unit_id = p.unit_id
              AND a.start_date = p.post_since AND a.kind = CASE WHEN p.unit_id <> p.home_unit_id THEN 'secondment' ELSE 'regular' END) AS matching,
            (SELECT count(*)::int FROM status_change s WHERE s.person_id = p.id AND s.status = p.status
              AND s.effective_date = p.status_since AND s.reason = 'import') AS statuses
          FROM person p WHERE p.id = ${p.id}`,
      );
      expect(history).toEqual({ open: 1, matching: 1, statuses: 1 });
    }
    expect(await countAudit(database.db, { entityId: up.uploadId, action: 'import' })).toBe(1);
    const [entry] = await queryRows<{ after: Record<string, unknown> }>(
      database.db,
      sql`SELECT after FROM audit_log WHERE entity_id = ${got[0]!.id} AND action = 'create'`,
    );
    // The whole snapshot, key by key: the entry of a new person is the stored row in camelCase, without secrets.
    const [stored] = await queryRows<{ position_id: string; post_since: string; status_since: string }>(
      database.db,
      sql`SELECT position_id, post_since::text AS post_since, status_since::text AS status_since FROM person WHERE id = ${got[0]!.id}`,
    );
    expect(entry!.after).toEqual({
      id: got[0]!.id,
      orgId: org.orgId,
      personNo: `${prefix}01`,
      fullName: '陈静',
      nameLatin: null,
      gender: 'female',
      birthDate: '1990-01-01',
      nationalIdMasked: expect.stringMatching(/^3502\*+/),
      unitId: org.units.eastSec!.id,
      homeUnitId: org.units.eastSec!.id,
      positionId: stored!.position_id,
      postSince: stored!.post_since,
      educationLevel: 'bachelor',
      specialties: ['animal_quarantine', 'food_safety'],
      titleLevel: 'none',
      titleName: null,
      languages: [],
      echelon: null,
      grade: null,
      status: 'active',
      statusSince: stored!.status_since,
      phone: null,
      email: 'chen@example.cn',
      version: 1,
    });
    // Search text and the encrypted national ID are written as the registry writes them.
    const detail = (await admin.get(`/api/people?q=cj`)).json() as { items: { personNo: string; nationalIdMasked: string }[] };
    expect(detail.items.find((i) => i.personNo === `${prefix}01`)?.nationalIdMasked).toBe('3502**********' + natId(101).slice(-4));
  });

  it('changes nothing when the same file is imported again', async () => {
    const before = await auditTotal();
    const versions = (await people([`${prefix}01`, `${prefix}04`])).map((p) => p.version);
    const up = await upload(admin, 'good-again.xlsx', await xlsxFile(goodRows(prefix)));
    const { report } = await run(admin, up.uploadId, 'commit', mapping);
    expect(report).toMatchObject({ committed: true, toCreate: 0, toUpdate: 0, unchanged: 4 });
    expect(await auditTotal()).toBe(before);
    expect((await people([`${prefix}01`, `${prefix}04`])).map((p) => p.version)).toEqual(versions);
  });

  it('updates only the rows that differ, moving the assignment when the unit changes', async () => {
    const rows = goodRows(prefix);
    rows[4]![2] = 'eastPort';
    rows[4]![9] = 'huang@example.cn';
    const up = await upload(admin, 'changed.xlsx', await xlsxFile(rows));
    const { report } = await run(admin, up.uploadId, 'commit', mapping);
    expect(report).toMatchObject({ committed: true, toCreate: 0, toUpdate: 1, unchanged: 3 });
    const [p] = await people([`${prefix}04`]);
    expect(p).toMatchObject({ unit_id: org.units.eastPort!.id, email: 'huang@example.cn', version: 2 });
    const history = await queryRows<{ unit_id: string; end_date: string | null }>(
      database.db,
      sql`SELECT unit_id, end_date::text AS end_date FROM assignment WHERE person_id = ${p!.id} ORDER BY start_date, end_date NULLS LAST`,
    );
    expect(history.filter((h) => h.end_date === null).map((h) => h.unit_id)).toEqual([org.units.eastPort!.id]);
    expect(history).toHaveLength(2);
    expect(await countAudit(database.db, { entityId: p!.id, action: 'update' })).toBe(1);
  });

  it('reports a staff number repeated within the file on every row involved', async () => {
    const rows = goodRows('DUP');
    rows[3]![0] = 'DUP01';
    const up = await upload(admin, 'dup.xlsx', await xlsxFile(rows));
    const { report } = await run(admin, up.uploadId, 'dry-run', mapping);
    expect(report.errors.filter((e) => e.reason === 'duplicate_in_file').map((e) => [e.row, e.params?.rows])).toEqual([
      [2, '2, 4'],
      [4, '2, 4'],
    ]);
  });
});

describe('worksheets', () => {
  // An office workbook: a notes sheet first, the register second, under headers of their own.
  const NOTES: Cell[][] = [
    ['说明', '日期'],
    ['本表由人事处维护', '2026-11-01'],
    ['第二张表为花名册', ''],
  ];
  const register = (prefix: string): Cell[][] => [
    ['人员编号', '姓名', '所在单位代码', '学历'],
    [`${prefix}1`, '林小红', 'eastSec', '本科'],
    [`${prefix}2`, '王大明', 'eastPort', '硕士'],
    [`${prefix}3`, '赵六', 'nowhere', '本科'],
  ];

  it('lists the sheets with row estimates, reads the first by default and any other on request, auto-mapping it again', async () => {
    const up = await upload(
      admin,
      'two-sheets.xlsx',
      await workbook([
        ['说明', NOTES],
        ['花名册', register('WS')],
      ]),
    );
    expect(up.sheets).toEqual([
      { name: '说明', rowCount: 2 },
      { name: '花名册', rowCount: 3 },
    ]);
    expect(up).toMatchObject({ sheet: '说明', headers: ['说明', '日期'], rowCount: 2, suggestedMapping: {} });

    const res = await admin.get(`/api/imports/${up.uploadId}?sheet=${encodeURIComponent('花名册')}`);
    expect(res.statusCode, res.body).toBe(200);
    const second = res.json() as ImportUploadResponse;
    expect(second).toMatchObject({
      uploadId: up.uploadId,
      sheet: '花名册',
      sheets: up.sheets,
      headers: ['人员编号', '姓名', '所在单位代码', '学历'],
      rowCount: 3,
      suggestedMapping: { 人员编号: 'personNo', 姓名: 'fullName', 所在单位代码: 'unitCode', 学历: 'educationLevel' },
    });
    expect(second.sampleRows[0]).toEqual(['WS1', '林小红', 'eastSec', '本科']);
    // Without a sheet the first is read again, as at upload.
    expect((await admin.get(`/api/imports/${up.uploadId}`)).json()).toEqual(up);
    // CSV has no sheets.
    const csv = await upload(
      admin,
      'plain.csv',
      Buffer.from(
        csvText([
          ['工号', '姓名', '单位代码'],
          ['C1', 'A', 'east'],
        ]),
      ),
    );
    expect(csv).toMatchObject({ sheets: [], sheet: null });
  });

  it('refuses a sheet the file does not have, naming the field in the caller language', async () => {
    const up = await upload(
      admin,
      'two-sheets.xlsx',
      await workbook([
        ['说明', NOTES],
        ['花名册', register('WU')],
      ]),
    );
    const mapping = (await admin.get(`/api/imports/${up.uploadId}?sheet=${encodeURIComponent('花名册')}`)).json() as ImportUploadResponse;
    const cases = [
      ['GET', `/api/imports/${up.uploadId}?sheet=${encodeURIComponent('人员')}&lang=zh-CN`, undefined, '工作表“人员”不在此文件中'],
      [
        'POST',
        `/api/imports/${up.uploadId}/dry-run?lang=en`,
        { mapping: mapping.suggestedMapping, sheet: 'Staff' },
        'Worksheet “Staff” is not in this file',
      ],
      [
        'POST',
        `/api/imports/${up.uploadId}/commit?lang=vi`,
        { mapping: mapping.suggestedMapping, sheet: 'Staff' },
        'Trang tính “Staff” không có trong tệp này',
      ],
    ] as const;
    for (const [method, url, body, message] of cases) {
      const res = method === 'GET' ? await admin.get(url) : await admin.send(method, url, body);
      expect(res.statusCode, res.body).toBe(400);
      expect((res.json() as { error: { code: string; details: unknown[] } }).error).toMatchObject({
        code: 'validation',
        details: [{ field: 'sheet', reason: 'unknown_sheet', message }],
      });
    }
    // A CSV has no sheet to choose.
    const csv = await upload(
      admin,
      'plain.csv',
      Buffer.from(
        csvText([
          ['工号', '姓名', '单位代码'],
          ['C1', 'A', 'east'],
        ]),
      ),
    );
    const res = await admin.send('POST', `/api/imports/${csv.uploadId}/dry-run`, { mapping: csv.suggestedMapping, sheet: 'Sheet1' });
    expect((res.json() as { error: { details: unknown[] } }).error.details).toEqual([
      expect.objectContaining({ field: 'sheet', reason: 'unknown_sheet' }),
    ]);
    // The mapping is checked against the chosen sheet: the register's headers are not on the first one.
    const wrong = await admin.send('POST', `/api/imports/${up.uploadId}/dry-run`, { mapping: mapping.suggestedMapping });
    expect(wrong.statusCode).toBe(400);
    expect((wrong.json() as { error: { details: { field: string }[] } }).error.details.map((d) => d.field)).toContain('mapping.personNo');
    const jobs = await queryRows<{ n: number }>(
      database.db,
      sql`SELECT count(*)::int AS n FROM job WHERE payload->>'uploadId' = ${up.uploadId}`,
    );
    expect(jobs[0]!.n).toBe(0);
  });

  it('dry-runs and commits the chosen sheet, recording it with the job, the report and the audit entry; saved mappings apply', async () => {
    const up = await upload(
      admin,
      'two-sheets.xlsx',
      await workbook([
        ['说明', NOTES],
        ['花名册', register('WC')],
      ]),
    );
    const second = (await admin.get(`/api/imports/${up.uploadId}?sheet=${encodeURIComponent('花名册')}`)).json() as ImportUploadResponse;
    // A mapping saved from this sheet's headers works for it like any other.
    const saved = await admin.send('POST', '/api/import-mappings', { name: '花名册模板', mapping: second.suggestedMapping });
    expect(saved.statusCode).toBe(201);
    const mapping = (saved.json() as { mapping: ImportMapping }).mapping;

    const runOn = async (mode: 'dry-run' | 'commit', file: ImportUploadResponse) => {
      const res = await admin.send('POST', `/api/imports/${file.uploadId}/${mode}?lang=zh-CN`, { mapping, sheet: '花名册' });
      expect(res.statusCode, res.body).toBe(200);
      const { jobId } = res.json() as { jobId: string };
      const job = await harness.ctx.jobs.waitFor(jobId, 60_000);
      expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
      expect(job.payload).toMatchObject({ sheet: '花名册' });
      return job.result as StoredReport;
    };
    const dry = await runOn('dry-run', up);
    expect(dry).toMatchObject({ mode: 'dry_run', sheet: '花名册', rows: 3, errorRows: 1, toCreate: 2 });
    expect(dry.errors).toEqual([expect.objectContaining({ row: 4, column: '所在单位代码', value: 'nowhere', reason: 'unknown_unit' })]);

    const fixed = register('WC');
    fixed[3]![2] = 'east';
    const good = await upload(
      admin,
      'two-sheets-fixed.xlsx',
      await workbook([
        ['说明', NOTES],
        ['花名册', fixed],
      ]),
    );
    const commit = await runOn('commit', good);
    expect(commit).toMatchObject({ mode: 'commit', sheet: '花名册', committed: true, toCreate: 3 });
    expect((await people(['WC1', 'WC2', 'WC3'])).map((p) => [p.full_name, p.education_level])).toEqual([
      ['林小红', 'bachelor'],
      ['王大明', 'master'],
      ['赵六', 'bachelor'],
    ]);
    const [entry] = await queryRows<{ after: Record<string, unknown> }>(
      database.db,
      sql`SELECT after FROM audit_log WHERE entity_id = ${good.uploadId} AND action = 'import'`,
    );
    expect(entry!.after).toMatchObject({ fileName: 'two-sheets-fixed.xlsx', sheet: '花名册', created: 3 });
    // The same sheet again changes nothing.
    expect(await runOn('commit', good)).toMatchObject({ committed: true, sheet: '花名册', toCreate: 0, unchanged: 3 });
    // Without a sheet, a run reads the first one and says so; a CSV has none.
    const one = await upload(admin, 'one.xlsx', await workbook([['花名册', register('WD')]]));
    expect((await run(admin, one.uploadId, 'dry-run', one.suggestedMapping)).report).toMatchObject({ sheet: '花名册', rows: 3 });
    const csv = await upload(
      admin,
      'plain.csv',
      Buffer.from(
        csvText([
          ['工号', '姓名', '单位代码'],
          ['WD9', 'A', 'east'],
        ]),
      ),
    );
    expect((await run(admin, csv.uploadId, 'dry-run', csv.suggestedMapping)).report).toMatchObject({ sheet: null, rows: 1 });
  });

  it('finds sheets by their tab order and name, whatever order their parts are stored in', async () => {
    // Tabs: 花名册 then 说明, although 说明 was added first: its part is sheet1.xml, the register sheet2.xml.
    const reordered = await upload(
      admin,
      'reordered.xlsx',
      await workbook(
        [
          ['说明', NOTES],
          ['花名册', register('WO')],
        ],
        { tabOrder: ['花名册', '说明'] },
      ),
    );
    expect(reordered.sheets.map((s) => s.name)).toEqual(['花名册', '说明']);
    expect(reordered).toMatchObject({ sheet: '花名册', headers: ['人员编号', '姓名', '所在单位代码', '学历'], rowCount: 3 });
    const notes = (
      await admin.get(`/api/imports/${reordered.uploadId}?sheet=${encodeURIComponent('说明')}`)
    ).json() as ImportUploadResponse;
    expect(notes).toMatchObject({ sheet: '说明', headers: ['说明', '日期'] });
    const dry = await run(admin, reordered.uploadId, 'dry-run', reordered.suggestedMapping);
    expect(dry.report).toMatchObject({ sheet: '花名册', rows: 3, errorRows: 1 });

    // The streaming writer stores the sheets before the shared strings and workbook.xml.
    const streamed = await upload(
      admin,
      'streamed.xlsx',
      await workbook(
        [
          ['说明', NOTES],
          ['花名册', register('WT')],
        ],
        { streaming: true },
      ),
    );
    expect(streamed.sheets).toEqual([
      { name: '说明', rowCount: 2 },
      { name: '花名册', rowCount: 3 },
    ]);
    const second = (
      await admin.get(`/api/imports/${streamed.uploadId}?sheet=${encodeURIComponent('花名册')}`)
    ).json() as ImportUploadResponse;
    expect(second.sampleRows.map((r) => r[0])).toEqual(['WT1', 'WT2', 'WT3']);
    const res = await admin.send('POST', `/api/imports/${streamed.uploadId}/dry-run`, {
      mapping: second.suggestedMapping,
      sheet: '花名册',
    });
    const job = await harness.ctx.jobs.waitFor((res.json() as { jobId: string }).jobId, 60_000);
    expect(job.result).toMatchObject({ sheet: '花名册', rows: 3, toCreate: 2, errorRows: 1 });
  });
});

describe('write parameters', () => {
  it('travel in pieces that PostgreSQL joins back intact, beyond the 100 arguments of concat()', async () => {
    // ASCII JSON, as the import writes it: 陈静 as \u escapes.
    const pad = 'x'.repeat(90);
    const text = `[${Array.from({ length: 60_000 }, (_, i) => `{"n":${i},"name":"\\u9648\\u9759 ${i}","pad":"${pad}"}`).join(',')}]`;
    const json = Buffer.from(text, 'latin1');
    expect(json.length).toBeGreaterThan(100 * 64 * 1024);
    const [row] = await queryRows<{ n: number; last: string; same: boolean }>(
      database.db,
      sql`SELECT json_array_length(j) AS n, j->-1->>'name' AS last, j::text = ${text} AS same FROM (SELECT ${jsonParam(json)} AS j) t`,
    );
    expect(row).toEqual({ n: 60_000, last: '陈静 59999', same: true });
  });
});

describe('many rows', () => {
  it('checks and writes across batches: a repeat 2,000 rows apart is caught, the fixed file commits whole', async () => {
    let seed = 1;
    const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const rows = Array.from({ length: 2500 }, (_, i) =>
      generatePersonRow(i, ['eastSec', 'eastPort', 'westSec'], rand).map((c) =>
        c instanceof Date ? c.toISOString().slice(0, 10) : (c ?? ''),
      ),
    );
    const bad = rows.map((r) => [...r]);
    bad[2399]![0] = bad[9]![0]!;
    const up = await upload(admin, 'many-bad.csv', Buffer.from(csvText([[...GENERATED_HEADERS], ...bad])));
    expect(up.rowCount).toBe(2500);
    const dry = await run(admin, up.uploadId, 'dry-run', up.suggestedMapping);
    expect(dry.report).toMatchObject({ rows: 2500, errorRows: 2, validRows: 2498, toCreate: 2498 });
    expect(dry.report.errors.map((e) => [e.row, e.reason, e.params?.rows])).toEqual([
      [11, 'duplicate_in_file', '11, 2401'],
      [2401, 'duplicate_in_file', '11, 2401'],
    ]);
    const generated = async () =>
      (
        await queryRows<{ n: number }>(
          database.db,
          sql`SELECT count(*)::int AS n FROM person WHERE org_id = ${org.orgId} AND person_no LIKE 'G%'`,
        )
      )[0]!.n;
    // The first two batches are already written (uncommitted) when the repeat at row 2,401 is read:
    // the commit must roll them back, leaving neither people nor audit entries.
    const auditBefore = await auditTotal();
    // On PGlite a commit this size into these small tables sets their secondary indexes and foreign keys
    // aside and rebuilds them at the end (setIndexesAside): whether it fails or succeeds, all must be
    // there afterwards.
    const indexes = async () =>
      (
        await queryRows<{ def: string }>(
          database.db,
          sql`SELECT indexdef AS def FROM pg_indexes WHERE schemaname = current_schema()
              AND tablename IN ('person', 'audit_log', 'assignment', 'status_change')
            UNION ALL SELECT conrelid::regclass::text || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
              WHERE contype = 'f' AND conrelid::regclass::text IN ('person', 'audit_log', 'assignment', 'status_change')
            ORDER BY 1`,
        )
      ).map((r) => r.def);
    const indexesBefore = await indexes();
    expect(indexesBefore.length).toBeGreaterThan(10);
    expect(indexesBefore.filter((d) => d.includes('FOREIGN KEY'))).toHaveLength(2);
    const failed = await run(admin, up.uploadId, 'commit', up.suggestedMapping);
    expect(failed.report).toMatchObject({ committed: false, errorRows: 2 });
    expect(await generated()).toBe(0);
    expect(await indexes()).toEqual(indexesBefore);
    expect(await auditTotal()).toBe(auditBefore);
    const good = await upload(admin, 'many.csv', Buffer.from(csvText([[...GENERATED_HEADERS], ...rows])));
    const commit = await run(admin, good.uploadId, 'commit', good.suggestedMapping);
    expect(commit.report).toMatchObject({ committed: true, toCreate: 2500, errorRows: 0 });
    expect(await generated()).toBe(2500);
    expect(await indexes()).toEqual(indexesBefore);
    // The rebuilt indexes serve searches: by name (trigram) and by unit (covering index).
    const newcomer = rows[1234]![1] as string;
    const found = (await admin.get(`/api/people?q=${encodeURIComponent(newcomer)}`)).json() as { items: { fullName: string }[] };
    expect(found.items.map((p) => p.fullName)).toContain(newcomer);
    const again = await run(admin, good.uploadId, 'commit', good.suggestedMapping);
    expect(again.report).toMatchObject({ committed: true, toCreate: 0, toUpdate: 0, unchanged: 2500 });
  });

  it("streams a commit's progress as events, also while PGlite's one connection is the commit's", async () => {
    let seed = 11;
    const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const rows = Array.from({ length: 5000 }, (_, i) =>
      generatePersonRow(40_000 + i, ['westSec', 'westPort'], rand).map((c) =>
        c instanceof Date ? c.toISOString().slice(0, 10) : (c ?? ''),
      ),
    );
    const up = await upload(admin, 'events.csv', Buffer.from(csvText([[...GENERATED_HEADERS], ...rows])));
    const started = await admin.send('POST', `/api/imports/${up.uploadId}/commit`, { mapping: up.suggestedMapping });
    const { jobId } = started.json() as { jobId: string };
    // Another officer without audit rights may not follow it.
    expect((await eastOfficer.get(`/api/jobs/${jobId}/events`)).statusCode).toBe(404);
    // The stream ends with the job, so the whole of it is here once the commit is done.
    const res = await admin.get(`/api/jobs/${jobId}/events`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    const events = res.body
      .split('\n\n')
      .filter((e) => e.startsWith('data: '))
      .map((e) => JSON.parse(e.slice(6)) as { id: string; status: string; progress: number; total: number; result?: StoredReport });
    expect(events.length).toBeGreaterThanOrEqual(3);
    expect(events.every((e) => e.id === jobId)).toBe(true);
    const progress = events.filter((e) => e.status === 'running' && e.total > 0).map((e) => e.progress);
    // Every thousand rows checked, including those after the first batch was written, when on PGlite
    // the commit's transaction holds the connection and the job's row cannot be updated.
    expect(progress).toEqual(expect.arrayContaining([1000, 2000, 3000, 4000]));
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(events.at(-1)).toMatchObject({ status: 'succeeded', result: { committed: true, toCreate: 5000 } });
    // A finished job's stream is its row, and ends at once.
    const again = await admin.get(`/api/jobs/${jobId}/events`);
    expect(again.body.split('\n\n').filter((e) => e.startsWith('data: '))).toHaveLength(1);
  });

  it('judges a national ID that an earlier row moves away from its holder as the dry run does: still taken', async () => {
    // A stored person holds n1. The file's first row gives them n2; 4,800 rows on, a newcomer claims n1.
    // Against the register as it stands, n1 is taken, and the commit must say so as the dry run does,
    // although on PGlite its look-ups run inside its own transaction, where the first row is written.
    const n1 = makeChineseNationalId('350211', '1980-01-01', 11);
    const n2 = makeChineseNationalId('350211', '1980-01-01', 12);
    const holder = await newPerson(database.db, org.orgId, org.units.eastSec!.id, { fullName: '持证人', nationalId: n1 });
    let seed = 7;
    const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const rows = Array.from({ length: 5000 }, (_, i) =>
      generatePersonRow(20_000 + i, ['eastSec', 'eastPort'], rand).map((c) =>
        c instanceof Date ? c.toISOString().slice(0, 10) : (c ?? ''),
      ),
    );
    const nationalIdAt = GENERATED_HEADERS.indexOf('身份证号');
    rows[0] = GENERATED_HEADERS.map(() => '');
    Object.assign(rows[0], { 0: holder.personNo, 1: '持证人', 5: 'eastSec', [nationalIdAt]: n2 });
    rows[4800]![nationalIdAt] = n1;
    const up = await upload(admin, 'moved-id.csv', Buffer.from(csvText([[...GENERATED_HEADERS], ...rows])));
    const expected = [[4802, 'nationalId', 'duplicate']];
    const dry = await run(admin, up.uploadId, 'dry-run', up.suggestedMapping);
    expect(dry.report.errors.map((e) => [e.row, e.field, e.reason])).toEqual(expected);
    const commit = await run(admin, up.uploadId, 'commit', up.suggestedMapping);
    expect(commit.report).toMatchObject({ committed: false, errorRows: 1, toUpdate: 1, toCreate: 4998 });
    expect(commit.report.errors.map((e) => [e.row, e.field, e.reason])).toEqual(expected);
    const [stored] = await queryRows<{ masked: string; version: number }>(
      database.db,
      sql`SELECT national_id_masked AS masked, version FROM person WHERE id = ${holder.id}`,
    );
    expect(stored).toEqual({ masked: maskNationalId(n1), version: holder.version });
  });
});

describe('scope', () => {
  it("stops an officer importing into another district's unit or over its people", async () => {
    const rows: Cell[][] = [
      ['工号', '姓名', '单位代码'],
      ['SCOPE1', '东区新人', 'eastSec'],
      ['SCOPE2', '越权', 'westSec'],
      [westPersonNo, '改名', 'eastSec'],
    ];
    const up = await upload(eastOfficer, 'scope.xlsx', await xlsxFile(rows));
    const { report } = await run(eastOfficer, up.uploadId, 'commit', up.suggestedMapping);
    expect(report.committed).toBe(false);
    expect(report.errors.map((e) => [e.row, e.field, e.reason])).toEqual([
      [3, 'unitCode', 'unknown_unit'],
      [4, 'personNo', 'duplicate'],
    ]);
    expect(await people(['SCOPE1', 'SCOPE2'])).toEqual([]);
    expect((await people([westPersonNo]))[0]).toMatchObject({ full_name: '西区人员', version: 1 });
  });

  it('keeps uploads private to their uploader', async () => {
    const up = await upload(
      admin,
      'private.csv',
      Buffer.from(
        csvText([
          ['工号', '姓名', '单位代码'],
          ['X1', 'A', 'east'],
        ]),
      ),
    );
    expect((await eastOfficer.send('POST', `/api/imports/${up.uploadId}/dry-run`, { mapping: up.suggestedMapping })).statusCode).toBe(404);
  });
});

describe('staff numbers', () => {
  it('finds again a staff number with quotes, commas, braces and a backslash (look-ups send keys as one array)', async () => {
    const odd = 'Q"1,{2}\\ NULL';
    const text = csvText([
      ['工号', '姓名', '单位代码'],
      [odd, '怪号', 'eastSec'],
    ]);
    const first = await upload(admin, 'odd.csv', Buffer.from(text));
    expect((await run(admin, first.uploadId, 'commit', first.suggestedMapping)).report).toMatchObject({ committed: true, toCreate: 1 });
    expect((await people([odd])).map((p) => p.full_name)).toEqual(['怪号']);
    const again = await upload(admin, 'odd-again.csv', Buffer.from(text));
    expect((await run(admin, again.uploadId, 'commit', again.suggestedMapping)).report).toMatchObject({ toCreate: 0, unchanged: 1 });
  });
});

describe('CSV encodings', () => {
  it('round-trips Chinese names from a GB18030 CSV', async () => {
    const text = csvText([
      ['工号', '姓名', '所在单位代码', '性别', '出生日期'],
      ['GB001', '欧阳娜娜', 'eastSec', '女', '1992-07-08'],
      ['GB002', '司马懿', 'eastPort', '男', '08/07/1985'],
    ]);
    const up = await upload(eastOfficer, 'gb.csv', iconv.encode(text, 'gb18030'));
    expect(up).toMatchObject({
      format: 'csv',
      encoding: 'gb18030',
      rowCount: 2,
      headers: ['工号', '姓名', '所在单位代码', '性别', '出生日期'],
    });
    expect(up.sampleRows[0]).toEqual(['GB001', '欧阳娜娜', 'eastSec', '女', '1992-07-08']);
    // The stored bytes come back intact: the wizard can reload the upload.
    expect((await eastOfficer.get(`/api/imports/${up.uploadId}`)).json()).toEqual(up);
    const { report } = await run(eastOfficer, up.uploadId, 'commit', up.suggestedMapping);
    expect(report).toMatchObject({ committed: true, toCreate: 2 });
    expect((await people(['GB001', 'GB002'])).map((p) => [p.full_name, p.birth_date])).toEqual([
      ['欧阳娜娜', '1992-07-08'],
      ['司马懿', '1985-07-08'],
    ]);
    // Pinyin search works on imported names, as on names entered by hand.
    const found = (await eastOfficer.get('/api/people?q=oyn')).json() as { items: { personNo: string }[] };
    expect(found.items.map((i) => i.personNo)).toContain('GB001');
  });

  it('reads UTF-8 with and without BOM alike', async () => {
    const text = csvText([
      ['工号', '姓名', '单位代码'],
      ['U1', 'Trần Văn Đức', 'east'],
    ]);
    for (const [buf, enc] of [
      [Buffer.from(text, 'utf8'), 'utf-8'],
      [Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]), 'utf-8-bom'],
    ] as const) {
      const up = await upload(admin, 'u.csv', buf);
      expect(up.encoding).toBe(enc);
      expect(up.headers[0]).toBe('工号');
      expect(up.sampleRows[0]).toEqual(['U1', 'Trần Văn Đức', 'east']);
    }
  });
});
