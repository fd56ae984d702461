import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { TFunction } from 'i18next';
import type { PersonListItem } from '../../contracts/person.js';

type Column = { key: keyof PersonListItem; field: string; vocab?: string; width?: number };

/** The columns of an export; headers and coded values are written in the user's language. */
export const EXPORT_COLUMNS: Column[] = [
  { key: 'personNo', field: 'personNo', width: 12 },
  { key: 'fullName', field: 'fullName', width: 16 },
  { key: 'nameLatin', field: 'nameLatin', width: 18 },
  { key: 'gender', field: 'gender', vocab: 'gender', width: 8 },
  { key: 'birthDate', field: 'birthDate', width: 12 },
  { key: 'unitName', field: 'unitId', width: 22 },
  { key: 'homeUnitName', field: 'homeUnitId', width: 22 },
  { key: 'positionName', field: 'positionId', width: 18 },
  { key: 'postSince', field: 'postSince', width: 12 },
  { key: 'educationLevel', field: 'educationLevel', vocab: 'educationLevel', width: 12 },
  { key: 'specialties', field: 'specialties', vocab: 'specialty', width: 26 },
  { key: 'titleLevel', field: 'titleLevel', vocab: 'titleLevel', width: 12 },
  { key: 'grade', field: 'grade', vocab: 'grade', width: 12 },
  { key: 'echelon', field: 'echelon', vocab: 'echelon', width: 10 },
  { key: 'languages', field: 'languages', vocab: 'language', width: 14 },
  { key: 'status', field: 'status', vocab: 'status', width: 10 },
  { key: 'nationalIdMasked', field: 'nationalId', width: 20 },
];

function cell(p: PersonListItem, c: Column, t: TFunction): string {
  const v = p[c.key];
  if (v === null || v === undefined) return '';
  const label = (x: string) => (c.vocab ? t(`enums.${c.vocab}.${x}`, { defaultValue: x }) : x);
  return Array.isArray(v) ? v.map((x) => label(String(x))).join('; ') : label(String(v));
}

/** XLSX written row by row with exceljs' streaming writer, so a 100k-row export never sits in memory whole. */
export function streamXlsx(pages: AsyncIterable<PersonListItem[]>, t: TFunction): Readable {
  const out = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
  const ws = wb.addWorksheet('people');
  ws.columns = EXPORT_COLUMNS.map((c) => ({ header: t(`fields.${c.field}`), key: c.key, width: c.width ?? 14 }));
  ws.getRow(1).font = { bold: true };
  void (async () => {
    try {
      for await (const page of pages) {
        for (const p of page) ws.addRow(EXPORT_COLUMNS.map((c) => cell(p, c, t))).commit();
      }
      ws.commit();
      await wb.commit();
    } catch (err) {
      out.destroy(err as Error);
    }
  })();
  return out;
}

const csvField = (s: string): string => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** UTF-8 with a byte-order mark: Excel on Chinese Windows otherwise reads the file as GBK and garbles names. */
export async function* streamCsv(pages: AsyncIterable<PersonListItem[]>, t: TFunction): AsyncGenerator<string> {
  yield '\uFEFF' + EXPORT_COLUMNS.map((c) => csvField(t(`fields.${c.field}`))).join(',') + '\r\n';
  for await (const page of pages) {
    yield page.map((p) => EXPORT_COLUMNS.map((c) => csvField(cell(p, c, t))).join(',')).join('\r\n') + (page.length ? '\r\n' : '');
  }
}
