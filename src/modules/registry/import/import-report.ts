import ExcelJS from 'exceljs';
import type { TFunction } from 'i18next';
import type { ImportRowError } from '../../../contracts/import.js';

const REPORT_HEADERS = { row: 'Row', column: 'Column', value: 'Value', reason: 'Reason' } as const;

/** The per-row report as a workbook the user can open next to their file: row, column, value, reason. */
export async function writeReportXlsx(errors: readonly ImportRowError[], t: TFunction): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(t('import.report.sheet', { defaultValue: 'Errors' }));
  ws.columns = (Object.keys(REPORT_HEADERS) as (keyof typeof REPORT_HEADERS)[]).map((k) => ({
    header: t(`import.report.${k}`, { defaultValue: REPORT_HEADERS[k] }),
    key: k,
    width: k === 'reason' ? 60 : k === 'row' ? 8 : 24,
  }));
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  for (const e of errors) ws.addRow({ row: e.row, column: e.column, value: e.value, reason: e.message });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
