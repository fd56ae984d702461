import ExcelJS from 'exceljs';
import type { TFunction } from 'i18next';
import type { ImportRowError } from '../../../contracts/import.js';

/** Header labels come from the console's import catalogue (the same words the wizard shows) and the field label for the reason. */
const REPORT_COLUMNS = [
  { key: 'row', label: 'import.row', fallback: 'Row', width: 8 },
  { key: 'column', label: 'import.column', fallback: 'Column', width: 24 },
  { key: 'value', label: 'import.value', fallback: 'Value', width: 24 },
  { key: 'reason', label: 'fields.reason', fallback: 'Reason', width: 60 },
] as const;

/** The per-row report as a workbook the user can open next to their file: row, column, value, reason. */
export async function writeReportXlsx(errors: readonly ImportRowError[], t: TFunction): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(t('import.problem', { defaultValue: 'Errors' }).slice(0, 31) || 'Errors');
  ws.columns = REPORT_COLUMNS.map((c) => ({ header: t(c.label, { defaultValue: c.fallback }), key: c.key, width: c.width }));
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  for (const e of errors) ws.addRow({ row: e.row, column: e.column, value: e.value, reason: e.message });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
