import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { fieldForHeader, suggestMapping } from './map-headers.js';
import {
  countXlsxRowElements,
  detectEncoding,
  detectFormat,
  readSpreadsheetRows,
  summariseSpreadsheet,
  worksheetsLast,
} from './read-spreadsheet.js';
import { lookupVocabulary, parseFlexibleDate, validateRow, type MappedColumn } from './validate-row.js';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';

describe('parseFlexibleDate', () => {
  it.each([
    ['1990-03-01', '1990-03-01'],
    ['1990/3/1', '1990-03-01'],
    ['1990.03.01', '1990-03-01'],
    ['01/03/1990', '1990-03-01'],
    ['1990年3月1日', '1990-03-01'],
    ['19900301', '1990-03-01'],
    ['２０２０－０１－０２', '2020-01-02'],
    [32933, '1990-03-01'],
    [new Date(Date.UTC(1990, 2, 1)), '1990-03-01'],
  ])('%s → %s', (input, expected) => {
    expect(parseFlexibleDate(input)).toBe(expected);
  });

  it.each(['1990-02-30', '31/02/2020', '13/13/2020', 'yesterday', '1990-13-01', ''])('refuses %s', (input) => {
    expect(parseFlexibleDate(input)).toBeNull();
  });
});

describe('vocabulary labels', () => {
  it('accepts the code or a label in any of the four languages', () => {
    for (const label of ['bachelor', '本科', '學士', 'Đại học', 'dai hoc', 'Bachelor', 'BACHELOR'])
      expect(lookupVocabulary('educationLevel', label)).toBe('bachelor');
    for (const label of ['男', 'Nam', 'male', 'Male']) expect(lookupVocabulary('gender', label)).toBe('male');
    expect(lookupVocabulary('gender', 'Nữ')).toBe('female');
    expect(lookupVocabulary('gender', 'robot')).toBeNull();
  });
});

describe('header mapping', () => {
  it('folds width, case and diacritics', () => {
    expect(fieldForHeader('ＭＡ ＣＢ')).toBe('personNo');
    expect(fieldForHeader('ho va ten')).toBe('fullName');
    expect(fieldForHeader(' 身份证号码 ')).toBe('nationalId');
    expect(fieldForHeader('Remarks')).toBeNull();
  });

  it('gives a field to the first column that names it only', () => {
    expect(suggestMapping(['姓名', 'Họ và tên', '工号'])).toEqual({ 姓名: 'fullName', 工号: 'personNo' });
  });
});

describe('validateRow', () => {
  const columns: MappedColumn[] = [
    { field: 'personNo', column: 'No', index: 0 },
    { field: 'fullName', column: 'Name', index: 1 },
    { field: 'unitCode', column: 'Unit', index: 2 },
    { field: 'email', column: 'Mail', index: 3 },
    { field: 'specialties', column: 'Spec', index: 4 },
    { field: 'nationalId', column: 'ID', index: 5 },
  ];
  const lookups = {
    unitsByCode: new Map([
      ['A', { id: 'u-a', path: '/r/a/' }],
      ['B', { id: 'u-b', path: '/r/b/' }],
    ]),
    positionsByCode: new Map<string, string>(),
    canWriteUnit: (path: string) => path.startsWith('/r/a/'),
  };

  it('keeps the PersonFields rules and names every bad cell', () => {
    const { person, issues } = validateRow(
      { row: 7, cells: [1001, 'x'.repeat(101), 'B', 'not-mail', '动物检疫、茶艺', '123'] },
      columns,
      lookups,
    );
    expect(person).toBeNull();
    expect(issues.map((i) => [i.row, i.column, i.reason])).toEqual([
      [7, 'Name', 'too_long'],
      [7, 'Unit', 'unknown_unit'],
      [7, 'Mail', 'invalid_format'],
      [7, 'Spec', 'unknown_value'],
      [7, 'ID', 'invalid_national_id'],
    ]);
  });

  it('normalises a good row', () => {
    const { person } = validateRow(
      { row: 2, cells: [1001, ' 张伟 ', 'A', null, 'animal_quarantine，食品安全; Animal quarantine', '11010519491231002x'] },
      columns,
      lookups,
    );
    expect(person).toEqual({
      row: 2,
      personNo: '1001',
      fullName: '张伟',
      unitId: 'u-a',
      specialties: ['animal_quarantine', 'food_safety'],
      nationalId: '11010519491231002X',
    });
  });

  it('requires the required cells', () => {
    const { issues } = validateRow({ row: 3, cells: ['', 'A', ''] }, columns, lookups);
    expect(issues.map((i) => [i.field, i.reason])).toEqual([
      ['personNo', 'required'],
      ['unitCode', 'required'],
    ]);
  });
});

describe('reading files', () => {
  it('detects formats and encodings by their bytes', async () => {
    expect(() => detectFormat(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0]), 'old.xls')).toThrow();
    expect(detectEncoding(iconv.encode('姓名,工号', 'gb18030'))).toBe('gb18030');
    expect(detectEncoding(Buffer.from('姓名,工号'))).toBe('utf-8');
    const s = await summariseSpreadsheet(Buffer.from('工号;姓名\r\n1;张伟\r\n\r\n2;李娜\r\n'), 'semi.csv');
    expect(s).toMatchObject({
      format: 'csv',
      headers: ['工号', '姓名'],
      rowCount: 2,
      sampleRows: [
        ['1', '张伟'],
        ['2', '李娜'],
      ],
    });
  });

  it('counts XLSX rows from the zip without parsing them all', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('s');
    ws.addRow(['工号', '姓名']);
    for (let i = 0; i < 25; i++) ws.addRow([i, `n${i}`]);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    expect(await countXlsxRowElements(buf)).toBe(26);
    expect(await summariseSpreadsheet(buf, 'x.xlsx')).toMatchObject({ rowCount: 25, headers: ['工号', '姓名'] });
  });

  it('hands exceljs the worksheets after the shared strings they need, and reads the same rows', async () => {
    // The streaming writer, like Excel, stores the shared strings after the sheets.
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: true });
    const sheets = { 花名册: 40, 其他: 3 } as const;
    for (const [name, n] of Object.entries(sheets)) {
      const ws = wb.addWorksheet(name);
      ws.addRow(['工号', '姓名']).commit();
      for (let i = 0; i < n; i++) ws.addRow([`${name}-${i}`, `姓名${i}`]).commit();
      ws.commit();
    }
    await wb.commit();
    const buf = Buffer.concat(chunks);
    const at = (b: Buffer, part: string) => b.indexOf(part);
    expect(at(buf, 'xl/sharedStrings.xml')).toBeGreaterThan(at(buf, 'xl/worksheets/sheet1.xml'));
    const reordered = worksheetsLast(buf);
    expect(at(reordered, 'xl/sharedStrings.xml')).toBeLessThan(at(reordered, 'xl/worksheets/sheet1.xml'));
    expect(at(reordered, 'xl/workbook.xml')).toBeLessThan(at(reordered, 'xl/worksheets/sheet1.xml'));
    expect(worksheetsLast(reordered)).toBe(reordered);
    expect(worksheetsLast(Buffer.from('工号,姓名\n'))).toEqual(Buffer.from('工号,姓名\n'));
    for (const [name, n] of Object.entries(sheets)) {
      const rows: unknown[][] = [];
      for await (const r of readSpreadsheetRows(buf, 'xlsx', null, name)) rows.push(r.cells);
      expect(rows).toEqual([['工号', '姓名'], ...Array.from({ length: n }, (_, i) => [`${name}-${i}`, `姓名${i}`])]);
    }
  });
});
